using System.Text.Json;
using Meridian.Server.Auth;
using Meridian.Server.Errors;
using Meridian.Server.Http;
using Meridian.Server.Runs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Meridian.Server.Threads;

/// <summary><c>/api/threads</c>: the caller's threads, their messages and runs. Another user's thread is a 404.</summary>
public static class ThreadEndpoints
{
    private const int MaxTitle = 200;

    public static WebApplication MapThreads(this WebApplication app)
    {
        var group = app.MapGroup("/api/threads").WithTags("Threads").RequireAuthorization().ProducesProblems(ErrorCodes.Unauthorized);
        group.MapGet("", List).ProducesProblems(ErrorCodes.ValidationFailed);
        group.MapPost("", Create).ProducesProblems(ErrorCodes.ValidationFailed, ErrorCodes.Conflict);
        group.MapGet("/{threadId}", Get).ProducesProblems(ErrorCodes.NotFound);
        group.MapPut("/{threadId}", Rename).ProducesProblems(ErrorCodes.NotFound, ErrorCodes.ValidationFailed);
        group.MapDelete("/{threadId}", Archive).ProducesProblems(ErrorCodes.NotFound);
        group.MapGet("/{threadId}/messages", Messages).ProducesProblems(ErrorCodes.NotFound, ErrorCodes.ValidationFailed);
        group.MapGet("/{threadId}/runs", Runs).ProducesProblems(ErrorCodes.NotFound, ErrorCodes.ValidationFailed);
        return app;
    }

    private static async Task<Results<Ok<ThreadList>, ProblemHttpResult>> List(HttpContext http, ThreadStore threads, int? limit, int? offset, bool? include_archived, CancellationToken ct)
    {
        if (Paging.Check(limit, offset) is { } invalid)
        {
            return invalid;
        }

        var (take, skip) = Paging.Of(limit, offset);
        var (page, total) = await threads.ListAsync(http.UserId(), include_archived ?? false, take, skip, ct);
        return TypedResults.Ok(new ThreadList(page.Select(ThreadView.From), total, take, skip));
    }

    private static async Task<Results<Created<ThreadView>, ProblemHttpResult>> Create(HttpContext http, ThreadStore threads, JsonElement? body, CancellationToken ct)
    {
        // No body at all (bound as nothing) makes an untitled thread; a body that is there must be an object. A JSON
        // null binds as null, and is told from no body by the body's length.
        var fields = body ?? default;
        if (fields.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined)
            || (body is null && (http.Request.ContentLength > 0 || http.Request.Headers.TransferEncoding.Count > 0)))
        {
            return Problems.Validation("body", "The body must be a JSON object such as {\"title\":\"Q3 costs\"}, or empty.");
        }

        if (fields.ValueKind == JsonValueKind.Object && !JsonFields.TryOptionalText(fields, "title", out _))
        {
            return Problems.Validation("title", "title must be a string.");
        }

        if (fields.ValueKind == JsonValueKind.Object && !JsonFields.TryOptionalText(fields, "thread_id", out _))
        {
            return Problems.Validation("thread_id", "thread_id must be a string of 1–128 letters, digits, '_' or '-'.");
        }

        var title = JsonFields.Text(fields, "title")?.Trim() ?? "";
        var id = JsonFields.Text(fields, "thread_id");
        if (title.Length > MaxTitle)
        {
            return Problems.Validation("title", $"At most {MaxTitle} characters.");
        }

        if (id is not null && !ThreadIds.IsValid(id))
        {
            return Problems.Validation("thread_id", "1–128 letters, digits, '_' or '-'.");
        }

        var thread = await threads.CreateAsync(http.UserId(), id, title, ct);
        return thread.UserId == http.UserId()
            ? TypedResults.Created($"/api/threads/{thread.Id}", ThreadView.From(thread))
            : Problems.Conflict("That thread id is taken.");
    }

    private static async Task<Results<Ok<ThreadView>, ProblemHttpResult>> Get(HttpContext http, ThreadStore threads, string threadId, CancellationToken ct) =>
        await OwnedAsync(http, threads, threadId, ct) is { } thread ? TypedResults.Ok(ThreadView.From(thread)) : NotFound(threadId);

    private static async Task<Results<Ok<ThreadView>, ProblemHttpResult>> Rename(HttpContext http, ThreadStore threads, string threadId, JsonElement body, CancellationToken ct)
    {
        if (await OwnedAsync(http, threads, threadId, ct) is null)
        {
            return NotFound(threadId);
        }

        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("title", out var t) || t.ValueKind != JsonValueKind.String
            || t.GetString()!.Trim() is not { Length: > 0 and <= MaxTitle } title)
        {
            return Problems.Validation("title", $"A title of 1 to {MaxTitle} characters is required.");
        }

        await threads.RenameAsync(threadId, title, ct);
        return TypedResults.Ok(ThreadView.From((await threads.GetAsync(threadId, ct))!));
    }

    private static async Task<Results<Ok<ThreadView>, ProblemHttpResult>> Archive(HttpContext http, ThreadStore threads, string threadId, CancellationToken ct)
    {
        if (await OwnedAsync(http, threads, threadId, ct) is null)
        {
            return NotFound(threadId);
        }

        await threads.ArchiveAsync(threadId, ct);
        return TypedResults.Ok(ThreadView.From((await threads.GetAsync(threadId, ct))!));
    }

    private static Task<Results<Ok<MessagePage>, ProblemHttpResult>> Messages(HttpContext http, ThreadStore threads, MessageStore messages, string threadId, int? limit, int? offset, CancellationToken ct) =>
        OwnedPageAsync(http, threads, threadId, limit, offset, async (take, skip) =>
        {
            var (page, total) = await messages.ListAsync(threadId, take, skip, ct);
            return new MessagePage(page.Select(Threads.MessageView.From), threadId, total, take, skip);
        }, ct);

    private static Task<Results<Ok<ThreadRunList>, ProblemHttpResult>> Runs(HttpContext http, ThreadStore threads, RunStore runs, string threadId, int? limit, int? offset, CancellationToken ct) =>
        OwnedPageAsync(http, threads, threadId, limit, offset, async (take, skip) =>
        {
            var page = await runs.ListByThreadAsync(threadId, take, skip, ct);
            return new ThreadRunList(page.Select(RunView.From), threadId, take, skip);
        }, ct);

    /// <summary>A page of something inside one of the caller's threads: paging checked, ownership checked.</summary>
    private static async Task<Results<Ok<TPage>, ProblemHttpResult>> OwnedPageAsync<TPage>(
        HttpContext http, ThreadStore threads, string threadId, int? limit, int? offset, Func<int, int, Task<TPage>> page, CancellationToken ct)
    {
        if (Paging.Check(limit, offset) is { } invalid)
        {
            return invalid;
        }

        if (await OwnedAsync(http, threads, threadId, ct) is null)
        {
            return NotFound(threadId);
        }

        var (take, skip) = Paging.Of(limit, offset);
        return TypedResults.Ok(await page(take, skip));
    }

    /// <summary>The socket's thread history (docs/protocol.md) sends messages as the REST pages do.</summary>
    public static MessageView MessageView(MessageRecord m) => Threads.MessageView.From(m);

    private static async Task<ThreadRecord?> OwnedAsync(HttpContext http, ThreadStore threads, string threadId, CancellationToken ct) =>
        await threads.GetAsync(threadId, ct) is { } thread && thread.UserId == http.UserId() ? thread : null;

    private static ProblemHttpResult NotFound(string threadId) => Problems.NotFound($"No thread '{threadId}'.");
}
