using System.Text.Json.Serialization;
using Meridian.Server.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Http;

public static class HttpPipelineExtensions
{
    public const string CorsPolicy = "configured-origins";

    public static IServiceCollection AddHttpPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
        services.AddOptions<CorsSettings>().BindConfiguration(CorsSettings.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CorsSettings>, CorsSettingsValidator>();
        var cors = configuration.GetSection(CorsSettings.Section).Get<CorsSettings>() ?? new CorsSettings();
        services.AddCors(o => o.AddPolicy(CorsPolicy, policy =>
        {
            policy.WithOrigins(cors.AllowedOrigins)
                .AllowAnyHeader()
                .AllowAnyMethod()
                .WithExposedHeaders("Retry-After", "X-Request-Id")
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10));
            if (cors.AllowCredentials)
            {
                policy.AllowCredentials();
            }
        }));
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Clear();
        });
        services.AddOpenApi(o =>
        {
            OpenApiSchemas.Configure(o);
            o.AddDocumentTransformer(UnavailableResponses.DeclareAsync);
        });
        services.AddSingleton<RequestLogging>();
        return services;
    }

    public static WebApplication UseHttpPipeline(this WebApplication app)
    {
        var server = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value;
        if (server.TrustForwardedHeaders)
        {
            app.UseForwardedHeaders();
        }

        app.UseMiddleware<RequestLogging>();
        app.UseMiddleware<SecurityHeaders>();
        app.UseMiddleware<HeaderSizeLimit>();
        if (server.HttpsRedirection)
        {
            // Health, API, auth and WebSocket routes answer on whatever scheme reached them: TLS ends in front,
            // and a redirect there breaks probes and WebSocket clients.
            app.UseWhen(c => !RouteKinds.IsMachineRoute(c.Request.Path), branch => branch.UseHttpsRedirection());
        }

        app.UseCors(CorsPolicy);
        app.UseDefaultFiles();
        app.UseWebAppCompression();
        app.UseStaticFiles();
        return app;
    }

    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "docs";
            o.SwaggerEndpoint("/openapi/v1.json", "Meridian API v1");
            o.DocumentTitle = "Meridian API";
        });
        return app;
    }
}
