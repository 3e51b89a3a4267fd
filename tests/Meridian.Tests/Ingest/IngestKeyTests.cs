using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Meridian.Server.Storage;
using Meridian.Tests.Auth;
using Meridian.Tests.Infrastructure;
using static Meridian.Tests.Workloads.WorkloadHarness;

namespace Meridian.Tests.Ingest;

/// <summary>Ingest keys over real HTTP (docs/ingest.md#1-ingest-keys): shown once, listed without the secret, revoked by
/// their owner only, limited in number, and scoped to ingest.</summary>
public sealed class IngestKeyTests
{
    private const string OneSpan =
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"name\":\"chat\",\"startTimeUnixNano\":\"1763629200000000000\"," +
        "\"endTimeUnixNano\":\"1763629200500000000\",\"attributes\":[{\"key\":\"gen_ai.request.model\",\"value\":{\"stringValue\":\"gpt-4o-mini\"}}," +
        "{\"key\":\"gen_ai.usage.input_tokens\",\"value\":{\"intValue\":\"100\"}}]},{\"name\":\"GET /\"}]}]}]}";

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_key_is_shown_once_listed_without_its_secret_and_revoked_by_its_owner_only(StorageProvider provider)
    {
        await using var harness = await IngestHarness.StartAsync(provider);
        var server = harness.Workloads.Server;
        var (id, key) = await harness.CreateKeyAsync(Alice, "  checkout, production ");
        key.ShouldStartWith("mik_");
        key.Length.ShouldBeGreaterThan(40);

        var (listed, list) = await server.SendAsync(HttpMethod.Get, "/api/ingest/keys", token: Token(Alice));
        listed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var only = list.EnumerateArray().Single();
        (only.Text("id"), only.Text("name"), only.Text("prefix")).ShouldBe((id, "checkout, production", key[..12]));
        list.ToString().ShouldNotContain(key);
        only.GetProperty("revoked_at").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        (await server.SendAsync(HttpMethod.Get, "/api/ingest/keys", token: Token(Bob))).Body.GetArrayLength().ShouldBe(0);

        // Bob can neither see nor revoke Alice's key.
        var (foreign, problem) = await server.SendAsync(HttpMethod.Delete, $"/api/ingest/keys/{id}", token: Token(Bob));
        foreign.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        problem.Text("error_code").ShouldBe("NOT_FOUND");
        (await harness.ExportAsync(key, new StringContent(OneSpan, Encoding.UTF8, "application/json"))).Response.StatusCode.ShouldBe(HttpStatusCode.OK);

        (await server.SendAsync(HttpMethod.Delete, $"/api/ingest/keys/{id}", token: Token(Alice))).Response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var after = (await server.SendAsync(HttpMethod.Get, "/api/ingest/keys", token: Token(Alice))).Body.EnumerateArray().Single();
        after.GetProperty("revoked_at").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UnixEpoch);
        after.GetProperty("last_used_at").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UnixEpoch);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_key_works_for_ingest_only_and_keys_need_a_users_token(StorageProvider provider)
    {
        await using var harness = await IngestHarness.StartAsync(provider);
        var server = harness.Workloads.Server;
        var (_, key) = await harness.CreateKeyAsync(Alice);

        foreach (var (method, path) in new[] { (HttpMethod.Get, "/api/workloads/summary"), (HttpMethod.Get, "/api/ingest/keys"), (HttpMethod.Get, "/auth/me") })
        {
            var (response, body) = await server.SendAsync(method, path, token: key);
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, $"{method} {path}");
            body.Text("error_code").ShouldNotBeNullOrEmpty();
        }

        var (unnamed, problem) = await server.SendAsync(HttpMethod.Post, "/api/ingest/keys", new { name = " " }, Token(Alice));
        unnamed.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        problem.Text("error_code").ShouldBe("VALIDATION_FAILED");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_user_holds_a_limited_number_of_keys_and_sees_what_each_delivered_in_the_last_hour(StorageProvider provider)
    {
        await using var harness = await IngestHarness.StartAsync(provider, new Dictionary<string, string?> { ["Ingest:MaxKeysPerUser"] = "2" });
        var server = harness.Workloads.Server;
        var (firstId, first) = await harness.CreateKeyAsync(Alice, "first");
        var (_, second) = await harness.CreateKeyAsync(Alice, "second");
        var (refused, problem) = await server.SendAsync(HttpMethod.Post, "/api/ingest/keys", new { name = "third" }, Token(Alice));
        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        problem.Text("error_code").ShouldBe("CONFLICT");

        for (var i = 0; i < 2; i++)
        {
            (await harness.ExportAsync(first, new StringContent(OneSpan, Encoding.UTF8, "application/json"))).Response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var (recentResponse, recent) = await server.SendAsync(HttpMethod.Get, "/api/ingest/recent", token: Token(Alice));
        recentResponse.StatusCode.ShouldBe(HttpStatusCode.OK, recent.ToString());
        (recent.GetProperty("accepted").GetInt64(), recent.GetProperty("ignored").GetInt64(), recent.GetProperty("rejected").GetInt64()).ShouldBe((2L, 2L, 0L));
        var byName = recent.GetProperty("keys").EnumerateArray().ToDictionary(k => k.Text("name"));
        (byName["first"].GetProperty("exports").GetInt64(), byName["first"].GetProperty("accepted").GetInt64()).ShouldBe((2L, 2L));
        byName["second"].GetProperty("exports").GetInt64().ShouldBe(0);
        byName["second"].GetProperty("last_at").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        (await server.SendAsync(HttpMethod.Get, "/api/ingest/recent", token: Token(Bob))).Body.GetProperty("keys").GetArrayLength().ShouldBe(0);

        // A revoked key frees its place.
        await server.SendAsync(HttpMethod.Delete, $"/api/ingest/keys/{firstId}", token: Token(Alice));
        await harness.CreateKeyAsync(Alice, "third");
        second.ShouldNotBe(first);
    }
}
