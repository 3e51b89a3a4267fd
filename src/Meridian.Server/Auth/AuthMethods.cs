namespace Meridian.Server.Auth;

/// <summary>The login methods a client may offer, as advertised by <c>/auth/config</c> and <c>/api/config/public</c>.
/// The end-to-end test door is deliberately not advertised.</summary>
internal static class AuthMethods
{
    public static string[] Enabled(IHostEnvironment env) =>
        env.IsDevelopment() ? ["password", "refresh_token", "dev"] : ["password", "refresh_token"];
}
