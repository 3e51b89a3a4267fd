using System.Net;
using System.Text.Json;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Http;

/// <summary>The OpenAPI document describes every answer (docs/http-api.md#4-the-openapi-document), so a client can be
/// generated from it: every operation has a success response, every JSON success body a named schema.</summary>
public sealed class OpenApiTests
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    /// <summary>Successes that carry no body: the answers that are documented as bodiless.</summary>
    private static readonly HashSet<string> Bodiless = ["DELETE /api/workloads 204", "DELETE /api/ingest/keys/{id} 204", "POST /mcp 202"];

    [Fact]
    public async Task Every_operation_declares_a_success_with_a_schema()
    {
        var document = await FetchAsync();
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var problems = new List<string>();
        foreach (var (operation, responses) in Operations(document))
        {
            var successes = responses.EnumerateObject().Where(r => r.Name.StartsWith('2')).ToList();
            if (successes.Count == 0)
            {
                problems.Add($"{operation}: no 2xx response");
            }

            foreach (var success in successes.Where(s => !Bodiless.Contains($"{operation} {s.Name}")))
            {
                problems.AddRange(ContentProblems($"{operation} {success.Name}", success.Value, schemas));
            }
        }

        // An anonymous answer gets a generated name a client cannot use; every answer is a named type.
        problems.AddRange(schemas.EnumerateObject().Where(s => s.Name.Contains("Anonymous", StringComparison.Ordinal)).Select(s => $"unnamed schema {s.Name}"));
        problems.ShouldBeEmpty();
    }

    [Fact]
    public async Task Error_answers_are_declared_as_problem_details()
    {
        var document = await FetchAsync();

        foreach (var (path, method, status) in new[]
        {
            ("/api/threads/{threadId}", "get", "404"), ("/api/threads", "post", "422"), ("/api/threads", "get", "401"),
            ("/api/runs/{runId}/cancel", "post", "409"), ("/auth/login", "post", "401"), ("/api/workloads/import", "post", "415"),
            ("/api/threads", "get", "503"), ("/auth/refresh", "post", "503"), ("/api/config/public", "get", "503"),
        })
        {
            var response = document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses");
            response.TryGetProperty(status, out var problem).ShouldBeTrue($"{method} {path} {status}");
            problem.GetProperty("content").TryGetProperty("application/problem+json", out _).ShouldBeTrue($"{method} {path} {status}");
        }
    }

    [Fact]
    public async Task Named_schemas_carry_the_snake_case_fields_the_routes_answer_with()
    {
        var schemas = (await FetchAsync()).GetProperty("components").GetProperty("schemas");

        PropertiesOf(schemas, "ThreadView").ShouldBe(["id", "thread_id", "title", "archived", "created_at", "updated_at"], ignoreOrder: true);
        PropertiesOf(schemas, "RunView").ShouldBe(
            ["run_id", "thread_id", "agent", "status", "created_at", "started_at", "ended_at", "duration_ms", "error", "usage"], ignoreOrder: true);
        PropertiesOf(schemas, "TokenResponse").ShouldBe(
            ["access_token", "refresh_token", "token_type", "expires_in", "refresh_expires_in", "user"], ignoreOrder: true);
        PropertiesOf(schemas, "MessageView").ShouldBe(["id", "role", "content", "created_at", "run_id"], ignoreOrder: true);
        PropertiesOf(schemas, "RunError").ShouldBe(["error_code", "message"], ignoreOrder: true);
        PropertiesOf(schemas, "JsonRpcResponse").ShouldContain("jsonrpc");
    }

    [Fact]
    public async Task Run_events_are_declared_as_json_and_as_an_event_stream()
    {
        var document = await FetchAsync();

        var content = document.GetProperty("paths").GetProperty("/api/runs/{runId}/events").GetProperty("get")
            .GetProperty("responses").GetProperty("200").GetProperty("content");

        content.TryGetProperty("application/json", out _).ShouldBeTrue();
        content.TryGetProperty("text/event-stream", out _).ShouldBeTrue();
    }

    private static async Task<JsonElement> FetchAsync()
    {
        await using var server = await ServerHarness.StartAsync();
        var (response, document) = await server.GetJsonAsync("/openapi/v1.json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return document.Clone();
    }

    private static IEnumerable<(string Operation, JsonElement Responses)> Operations(JsonElement document) =>
        from path in document.GetProperty("paths").EnumerateObject()
        from method in path.Value.EnumerateObject()
        where Methods.Contains(method.Name)
        select ($"{method.Name.ToUpperInvariant()} {path.Name}",
            method.Value.TryGetProperty("responses", out var responses) ? responses : default);

    /// <summary>What is missing from one success response: a body, or a schema with something in it.</summary>
    private static IEnumerable<string> ContentProblems(string where, JsonElement response, JsonElement schemas)
    {
        if (!response.TryGetProperty("content", out var content) || !content.EnumerateObject().Any())
        {
            yield return $"{where}: no body declared";
            yield break;
        }

        foreach (var media in content.EnumerateObject().Where(m => m.Name.Contains("json", StringComparison.Ordinal)))
        {
            if (!media.Value.TryGetProperty("schema", out var schema) || IsEmpty(Resolve(schema, schemas)))
            {
                yield return $"{where} {media.Name}: no schema";
            }
        }
    }

    private static JsonElement Resolve(JsonElement schema, JsonElement schemas) =>
        schema.TryGetProperty("$ref", out var reference)
            ? schemas.GetProperty(reference.GetString()!["#/components/schemas/".Length..])
            : schema;

    private static bool IsEmpty(JsonElement schema) =>
        schema.ValueKind != JsonValueKind.Object || !schema.EnumerateObject().Any(p => p.Name is "properties" or "items" or "anyOf" or "oneOf" or "allOf" or "additionalProperties");

    private static string[] PropertiesOf(JsonElement schemas, string name) =>
        [.. schemas.GetProperty(name).GetProperty("properties").EnumerateObject().Select(p => p.Name)];
}
