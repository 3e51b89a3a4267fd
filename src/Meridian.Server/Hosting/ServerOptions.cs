namespace Meridian.Server.Hosting;

/// <summary>Section <c>Server</c>: where and how the process listens.</summary>
public sealed class ServerOptions
{
    public const string Section = "Server";

    /// <summary>Listen addresses, separated by ';'. <c>--urls</c>, <c>ASPNETCORE_URLS</c> and <c>MERIDIAN_URLS</c> take precedence.</summary>
    public string Urls { get; set; } = "http://localhost:5080";

    /// <summary>The externally visible base URL (behind a proxy or load balancer). When unset, URLs in discovery
    /// answers are derived from each request.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>Folder for the SQLite database and generated secrets, relative to the working directory.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Seconds that in-flight work may take to finish after SIGTERM before the process exits.</summary>
    public int DrainSeconds { get; set; } = 10;

    /// <summary>Largest request body accepted by default; routes that take files raise it for themselves.</summary>
    public long MaxRequestBodyBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Redirect plain HTTP to HTTPS for the UI. Health, API, auth and WebSocket routes are never redirected.</summary>
    public bool HttpsRedirection { get; set; }

    /// <summary>Honour X-Forwarded-For/-Proto/-Host from the proxy in front (enable only behind a trusted proxy).</summary>
    public bool TrustForwardedHeaders { get; set; }

    public string ResolveDataDirectory() => Path.GetFullPath(DataDirectory, Directory.GetCurrentDirectory());
}
