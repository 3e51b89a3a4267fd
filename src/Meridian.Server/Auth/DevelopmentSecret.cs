using System.Security.Cryptography;
using Meridian.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Auth;

/// <summary>In Development with no <c>Auth:JwtSecret</c>, uses a random secret kept in
/// <c>{Server:DataDirectory}/secrets/jwt-secret</c> (mode 600), created on first start, so tokens survive restarts.</summary>
internal sealed partial class DevelopmentSecret(
    IHostEnvironment env,
    IOptions<ServerOptions> server,
    ILogger<DevelopmentSecret> logger) : IPostConfigureOptions<AuthOptions>
{
    public void PostConfigure(string? name, AuthOptions options)
    {
        if (!env.IsDevelopment() || !string.IsNullOrEmpty(options.JwtSecret))
        {
            return;
        }

        var folder = Path.Combine(server.Value.ResolveDataDirectory(), "secrets");
        var path = Path.Combine(folder, "jwt-secret");
        options.JwtSecret = ReadOrCreate(folder, path);
    }

    private string ReadOrCreate(string folder, string path)
    {
        var existing = File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        if (existing is { Length: >= AuthOptions.MinimumSecretBytes })
        {
            return existing;
        }

        // The data folder keeps its usual mode; only the secrets folder is private.
        Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var secret = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(48));
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(temp, fileOptions))
        {
            writer.Write(secret);
        }

        try
        {
            // Two processes starting at once: the first rename wins and both use its secret. A file that exists
            // but holds no usable secret (emptied, truncated) is replaced.
            File.Move(temp, path, overwrite: existing is not null);
            LogGenerated(path);
            return secret;
        }
        catch (IOException)
        {
            File.Delete(temp);
            return File.ReadAllText(path).Trim();
        }
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "Auth:JwtSecret is not configured; generated a development secret in {Path}")]
    private partial void LogGenerated(string path);
}
