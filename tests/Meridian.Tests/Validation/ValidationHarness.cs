using Meridian.Tests.Auth;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Validation;

/// <summary>A real Meridian server with test users enabled (<c>Auth:E2EBypassKey</c>), shared by the tests of one
/// class; each validation run signs in users of its own.</summary>
public sealed class ValidationHarness : IAsyncLifetime
{
    public const string BypassKey = "validation-bypass-key-0123456789";

    public ServerHarness Server { get; private set; } = null!;

    public Uri Target => Server.BaseAddress;

    public async ValueTask InitializeAsync() =>
        Server = await ServerHarness.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Auth:JwtSecret"] = AuthHarness.Secret,
            ["Auth:E2EBypassKey"] = BypassKey,
        });

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    /// <summary><c>meridian validate</c> against a target with this server's test users.</summary>
    public static Task<CliRun> ValidateAsync(Uri target, params string[] extra) =>
        CliProcess.RunAsync(["validate", "--target", target.ToString(), "--e2e-key", BypassKey, .. extra]);
}
