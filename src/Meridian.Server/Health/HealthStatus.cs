using System.Text.Json.Serialization;

namespace Meridian.Server.Health;

/// <summary>The answer of <c>GET /health</c>: <see cref="ServiceHealth"/> once started (200, or 503 while draining),
/// <see cref="StartingHealth"/> before (503). Both are status documents, not problems (docs/http-api.md#2-health-and-discovery);
/// no type discriminator is written, <c>status</c> tells them apart.</summary>
[JsonDerivedType(typeof(ServiceHealth))]
[JsonDerivedType(typeof(StartingHealth))]
public abstract record HealthStatus;
