using System.Text.Json.Serialization;
using Meridian.Server.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Http;

/// <summary>Section <c>Cors</c>: which browser origins may call the API from another site.</summary>
public sealed class CorsSettings
{
    public const string Section = "Cors";

    /// <summary>Allowed origins, e.g. <c>https://app.example.com</c>. Empty: same-origin only.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    public bool AllowCredentials { get; set; }
}
