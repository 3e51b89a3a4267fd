using Meridian.Server.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Auth;

/// <summary><c>POST /auth/register</c> and <c>POST /auth/login</c>: email and password accounts.</summary>
internal static partial class PasswordEndpoints
{
    // The hasher ignores the user; one placeholder serves for hashing new passwords and for the dummy check.
    private static readonly UserRecord DummyUser = new();

    // Made with the configured hasher on first use, so checking it costs what checking a real hash costs.
    private static string? _dummyHash;

    public static RouteGroupBuilder MapPasswordEndpoints(this RouteGroupBuilder auth)
    {
        auth.MapPost("/register", Register).WithName("auth-register").ProducesProblems(ErrorCodes.ValidationFailed, ErrorCodes.EmailTaken);
        auth.MapPost("/login", Login).WithName("auth-login")
            .ProducesProblems(ErrorCodes.ValidationFailed, ErrorCodes.RateLimited, ErrorCodes.InvalidCredentials, ErrorCodes.AccountDisabled);
        return auth;
    }

    private static async Task<Results<Created<TokenResponse>, ProblemHttpResult>> Register(
        RegisterRequest? body, UserStore users, IPasswordHasher<UserRecord> hasher, TokenIssuer issuer,
        IOptions<AuthOptions> options, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        AddError(errors, "email", CredentialRules.CheckEmail(body?.Email));
        AddError(errors, "password", CredentialRules.CheckPassword(body?.Password, body?.Email));
        AddError(errors, "name", body?.Name is { Length: > 100 } ? "Name must be at most 100 characters." : null);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var email = CredentialRules.NormalizeEmail(body!.Email!);
        var name = CredentialRules.DisplayName(body.Name, email);
        var hash = hasher.HashPassword(DummyUser, body.Password!);
        var user = await users.CreateAsync(null, email, name, hash, options.Value.InitialPermissions, ct);
        if (user is null)
        {
            return Problems.Result(ErrorCodes.EmailTaken, "An account with this email already exists.");
        }

        return TypedResults.Created("/auth/me", await issuer.IssueAsync(user, null, ct));
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> Login(
        LoginRequest? body, HttpContext context, UserStore users, LoginThrottle throttle, IPasswordHasher<UserRecord> hasher,
        TokenIssuer issuer, ILoggerFactory loggers, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        AddError(errors, "email", string.IsNullOrWhiteSpace(body?.Email) ? "Email is required." : null);
        AddError(errors, "password", string.IsNullOrEmpty(body?.Password) ? "Password is required." : null);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var email = CredentialRules.NormalizeEmail(body!.Email!);
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (await throttle.LockedForAsync(email, address, ct) is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString();
            return Problems.Result(ErrorCodes.RateLimited,
                $"Too many failed sign-in attempts; retry in {seconds} s.");
        }

        var user = await users.FindByEmailAsync(email, ct);
        var verdict = Verify(hasher, user, body.Password!);
        if (verdict == PasswordVerificationResult.Failed)
        {
            LogFailed(loggers.CreateLogger(typeof(PasswordEndpoints)), address);
            await Task.Delay(await throttle.RecordFailureAsync(email, address, ct), ct);
            return Problems.Result(ErrorCodes.InvalidCredentials, "Email or password is incorrect.");
        }

        await throttle.ResetAsync(email, ct);
        if (user!.Disabled)
        {
            return DisabledAccount.Problem();
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await users.SetPasswordHashAsync(user.Id, hasher.HashPassword(user, body.Password!), ct);
        }

        return TypedResults.Ok(await issuer.IssueAsync(user, null, ct));
    }

    /// <summary>Unknown emails and password-less accounts are checked against a dummy hash, so a failed answer
    /// takes as long whether or not the account exists.</summary>
    private static PasswordVerificationResult Verify(IPasswordHasher<UserRecord> hasher, UserRecord? user, string password)
    {
        _dummyHash ??= hasher.HashPassword(DummyUser, Guid.NewGuid().ToString());
        var result = hasher.VerifyHashedPassword(user ?? DummyUser, user?.PasswordHash ?? _dummyHash, password);
        return user?.PasswordHash is null ? PasswordVerificationResult.Failed : result;
    }

    private static void AddError(Dictionary<string, string[]> errors, string field, string? reason)
    {
        if (reason is not null)
        {
            errors[field] = [reason];
        }
    }

    [LoggerMessage(EventId = 420, Level = LogLevel.Information, Message = "Failed sign-in from {Address}")]
    private static partial void LogFailed(ILogger logger, string address);
}
