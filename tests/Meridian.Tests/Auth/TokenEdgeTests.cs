using System.Text.Json;
using Dapper;
using Meridian.Server.Storage;
using Meridian.Tests.Gateway;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Auth;

/// <summary>Tokens that are correctly signed but say something the validator must not accept
/// (docs/auth.md#31-token-validation): a <c>crit</c> header, a <c>sub</c> that is not a string, an <c>exp</c> beyond any date. Each is
/// refused the same way on a REST route and on the <c>/ws</c> handshake, with a reason that names the real fault.</summary>
public sealed class TokenEdgeTests
{
    private const string Header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

    /// <summary>A day ahead: theory data are built when the tests are discovered, and a full run may reach these cases
    /// many minutes later, when a shorter lifetime would already have made them expired rather than refused.</summary>
    private static long InADay => DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds();

    public static TheoryData<string, string, string> Cases() => new()
    {
        {
            "crit",
            AuthHarness.SignRaw("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"crit\":[\"x-unknown\"],\"x-unknown\":true}", $"{{\"sub\":\"user_crit\",\"exp\":{InADay}}}"),
            "crit"
        },
        { "numeric sub", AuthHarness.SignRaw(Header, $"{{\"sub\":12345,\"exp\":{InADay}}}"), "'sub'" },
        { "huge exp", AuthHarness.SignRaw(Header, "{\"sub\":\"user_huge_exp\",\"exp\":1000000000000000}"), "'exp' claim is out of range" },
    };

    [Theory, MemberData(nameof(Cases))]
    public async Task A_signed_token_with_a_forbidden_header_or_claim_is_401_on_rest(string kind, string token, string named)
    {
        await using var server = await AuthHarness.StartAsync();

        var answer = await server.MeAsync(token);

        answer.ShouldBeProblem(401, "INVALID_TOKEN");
        answer.Body.Text("request_id").ShouldNotBeNullOrEmpty();
        answer.Body.Text("detail").ShouldContain(named, Case.Sensitive, kind);
        (await UserCountAsync(server)).ShouldBe(0, $"a refused token ({kind}) provisions nobody");
    }

    [Theory, MemberData(nameof(Cases))]
    public async Task A_signed_token_with_a_forbidden_header_or_claim_is_refused_before_the_ws_upgrade(string kind, string token, string named)
    {
        await using var server = await GatewayHarness.StartAsync();

        var (status, headers, body) = await RawHandshake.SendAsync(server, new Dictionary<string, string> { ["Authorization"] = "Bearer " + token });

        status.ShouldBe(401, body);
        headers["Content-Type"].ShouldStartWith("application/problem+json");
        var problem = JsonDocument.Parse(body[body.IndexOf('{', StringComparison.Ordinal)..(body.LastIndexOf('}') + 1)]).RootElement;
        problem.GetProperty("error_code").GetString().ShouldBe("INVALID_TOKEN");
        problem.GetProperty("detail").GetString()!.ShouldContain(named, Case.Sensitive, kind);
        (await UserCountAsync(server)).ShouldBe(0, $"a refused token ({kind}) provisions nobody");
    }

    [Fact]
    public async Task An_exp_beyond_any_date_is_reported_as_out_of_range_not_as_missing()
    {
        await using var server = await AuthHarness.StartAsync();

        var huge = await server.MeAsync(AuthHarness.SignRaw(Header, "{\"sub\":\"user_huge_exp\",\"exp\":1000000000000000}"));
        var missing = await server.MeAsync(AuthHarness.SignRaw(Header, "{\"sub\":\"user_no_exp\"}"));

        huge.ShouldBeProblem(401, "INVALID_TOKEN");
        huge.Body.Text("detail").ShouldNotContain("no 'exp'");
        huge.Body.Text("detail").ShouldContain("out of range");
        missing.ShouldBeProblem(401, "INVALID_TOKEN");
        missing.Body.Text("detail").ShouldContain("no 'exp'");
    }

    [Fact]
    public async Task A_string_sub_that_looks_like_a_number_is_still_a_valid_subject()
    {
        await using var server = await AuthHarness.StartAsync();

        var (response, profile) = await server.MeAsync(AuthHarness.SignRaw(Header, $"{{\"sub\":\"12345\",\"exp\":{InADay}}}"));

        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, profile.ToString());
        profile.Text("id").ShouldBe("12345");
    }

    private static async Task<long> UserCountAsync(ServerHarness server)
    {
        await using var connection = await server.Service<Database>().OpenAsync(TestContext.Current.CancellationToken);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users");
    }
}
