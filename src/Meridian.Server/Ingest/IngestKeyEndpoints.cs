using Meridian.Server.Auth;
using Meridian.Server.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Meridian.Server.Ingest;

/// <summary><c>/api/ingest</c>: the caller's ingest keys (create, list, revoke) and what arrived with them in the
/// last hour (docs/ingest.md#1-ingest-keys). Keys are managed with the user's own token, never with a key.</summary>
public static class IngestKeyEndpoints
{
    public const int MaxNameLength = 100;

    public static WebApplication MapIngestKeys(this WebApplication app)
    {
        var group = app.MapGroup("/api/ingest").WithTags("Ingest").RequireAuthorization().ProducesProblems(ErrorCodes.Unauthorized);
        group.MapGet("/keys", List);
        group.MapPost("/keys", Create).ProducesProblems(ErrorCodes.ValidationFailed, ErrorCodes.Conflict);
        group.MapDelete("/keys/{id}", Revoke).ProducesProblems(ErrorCodes.NotFound);
        group.MapGet("/recent", Recent);
        return app;
    }

    private static async Task<Ok<IReadOnlyList<IngestKeyView>>> List(HttpContext http, IngestKeyStore keys, CancellationToken ct) =>
        TypedResults.Ok(await keys.ListAsync(http.UserId(), ct));

    private static async Task<Results<Created<CreatedIngestKey>, ProblemHttpResult>> Create(
        CreateIngestKeyRequest? body, HttpContext http, IngestKeyStore keys, IOptions<IngestOptions> options, CancellationToken ct)
    {
        var name = body?.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
        {
            return Problems.Validation("name", $"name must be 1 to {MaxNameLength} characters saying what the key is for.");
        }

        var max = options.Value.MaxKeysPerUser;
        return await keys.CreateAsync(http.UserId(), name, max, ct) is { } created
            ? TypedResults.Created($"/api/ingest/keys/{created.Id}", created)
            : Problems.Conflict($"You have {max} ingest keys, the most one user may hold; revoke one you no longer use first.");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Revoke(string id, HttpContext http, IngestKeyStore keys, CancellationToken ct) =>
        await keys.RevokeAsync(http.UserId(), id, ct) ? TypedResults.NoContent() : Problems.NotFound($"You have no ingest key '{id}'.");

    private static async Task<Ok<IngestRecent>> Recent(HttpContext http, IngestKeyStore keys, TimeProvider clock, CancellationToken ct)
    {
        var since = clock.GetUtcNow().AddHours(-1);
        var activity = await keys.ActivityAsync(http.UserId(), since, ct);
        return TypedResults.Ok(new IngestRecent(since, activity.Sum(k => k.Accepted), activity.Sum(k => k.Rejected), activity.Sum(k => k.Ignored), activity));
    }
}
