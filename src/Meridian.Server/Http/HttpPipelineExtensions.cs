using System.Text.Json;
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

/// <summary>Section <c>Cors</c>: which browser origins may call the API from another site.</summary>
public sealed class CorsSettings
{
    public const string Section = "Cors";

    /// <summary>Allowed origins, e.g. <c>https://app.example.com</c>. Empty: same-origin only.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    public bool AllowCredentials { get; set; }
}

internal sealed class CorsSettingsValidator : IValidateOptions<CorsSettings>
{
    public ValidateOptionsResult Validate(string? name, CorsSettings options)
    {
        var bad = options.AllowedOrigins
            .Where(o => o != "*" && (!Uri.TryCreate(o, UriKind.Absolute, out var uri) || uri.AbsolutePath != "/"))
            .ToList();
        if (options.AllowCredentials && options.AllowedOrigins.Contains("*"))
        {
            return ValidateOptionsResult.Fail("Cors:AllowCredentials cannot be combined with the '*' origin.");
        }

        return bad.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Cors:AllowedOrigins must be origins such as https://app.example.com; invalid: {string.Join(", ", bad)}");
    }
}

/// <summary>One JSON shape for every answer: snake_case names, UTC timestamps with milliseconds.</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.Converters.Add(new UtcTimestampConverter());
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.Converters.Add(new ReadableJsonElementConverter());
        return options;
    }
}

/// <summary>Writes timestamps as <c>2026-11-21T10:00:00.123Z</c> (ISO-8601 UTC with milliseconds, docs/http-api.md#1-conventions).</summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string ToText(DateTimeOffset value) => value.UtcDateTime.ToString(Format);

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(ToText(value));
}
