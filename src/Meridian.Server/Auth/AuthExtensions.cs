using Meridian.Server.Health;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Auth;

public static partial class AuthExtensions
{
    public static IServiceCollection AddAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<AuthOptions>, DevelopmentSecret>();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddSingleton<IPasswordHasher<UserRecord>, PasswordHasher<UserRecord>>();
        services.AddSingleton<SigningKey>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<RefreshTokenStore>();
        services.AddSingleton<RevokedTokens>();
        services.AddSingleton<RevocationSignal>();
        services.AddSingleton<RevocationLookup>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<TokenValidator>();

        services.AddAuthentication(BearerAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerAuthenticationHandler>(BearerAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddOptions<PublicConfig>().Configure<IHostEnvironment>((config, env) => config.AuthMethods.AddRange(AuthMethods.Enabled(env)));
        return services;
    }

    public static WebApplication UseAuth(this WebApplication app)
    {
        if (app.Environment.IsProduction() && !string.IsNullOrEmpty(app.Configuration[$"{AuthOptions.Section}:E2EBypassKey"]))
        {
            LogBypassIgnored(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuthExtensions)));
        }

        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    public static WebApplication MapAuth(this WebApplication app)
    {
        app.MapGroup("/auth").WithTags("Auth")
            .MapPasswordEndpoints()
            .MapSessionEndpoints()
            .MapServiceEndpoints()
            .MapTestLoginEndpoints(app.Environment);
        return app;
    }

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning,
        Message = "Auth:E2EBypassKey is configured in Production; it is ignored and /auth/e2e/test-auth does not exist here")]
    private static partial void LogBypassIgnored(ILogger logger);
}
