using System.Net;
using System.Text.RegularExpressions;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Http;

/// <summary>The web app as the server serves it (docs/ui.md#2-build): its page on the app's routes, its
/// hashed assets, cache headers and the Content-Security-Policy; unknown paths stay 404 problems.</summary>
public sealed partial class WebAppTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/signin")]
    [InlineData("/register")]
    [InlineData("/chat")]
    [InlineData("/chat/thread_0123abc")]
    [InlineData("/usage")]
    [InlineData("/ingest")]
    public async Task App_routes_answer_the_app_page_with_its_root_and_a_same_origin_script(string path)
    {
        await using var server = await ServerHarness.StartAsync();

        using var response = await server.Http.GetAsync(path, TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, path);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        html.ShouldContain("<div id=\"root\"></div>");
        ScriptSource().Match(html).Groups["src"].Value.ShouldStartWith("/assets/");
        html.ShouldNotContain("<script>", Case.Insensitive, "no inline script: the policy forbids it");
        response.Headers.CacheControl!.NoCache.ShouldBeTrue(path);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        policy.ShouldContain("script-src 'self';");
        policy.ShouldNotContain("unsafe-inline");
    }

    [Fact]
    public async Task Hashed_assets_are_served_with_a_long_cache_lifetime()
    {
        await using var server = await ServerHarness.StartAsync();
        var html = await server.Http.GetStringAsync("/chat", TestContext.Current.CancellationToken);
        var script = ScriptSource().Match(html).Groups["src"].Value;

        using var response = await server.Http.GetAsync(script, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/javascript");
        response.Headers.CacheControl!.MaxAge.ShouldBe(TimeSpan.FromDays(365));
        response.Headers.CacheControl.ToString().ShouldContain("immutable");
    }

    [Fact]
    public async Task The_apps_code_is_sent_compressed_and_api_answers_are_not()
    {
        await using var server = await ServerHarness.StartAsync();
        var html = await server.Http.GetStringAsync("/chat", TestContext.Current.CancellationToken);
        var script = ScriptSource().Match(html).Groups["src"].Value;

        using var asset = new HttpRequestMessage(HttpMethod.Get, script);
        asset.Headers.AcceptEncoding.ParseAdd("gzip");
        using var compressed = await server.Http.SendAsync(asset, TestContext.Current.CancellationToken);
        using var api = new HttpRequestMessage(HttpMethod.Get, "/api/config/public");
        api.Headers.AcceptEncoding.ParseAdd("gzip");
        using var plain = await server.Http.SendAsync(api, TestContext.Current.CancellationToken);

        compressed.StatusCode.ShouldBe(HttpStatusCode.OK);
        compressed.Content.Headers.ContentEncoding.ShouldBe(["gzip"]);
        plain.StatusCode.ShouldBe(HttpStatusCode.OK);
        plain.Content.Headers.ContentEncoding.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("/api/nothing-here")]
    [InlineData("/api/threads/x/nothing")]
    [InlineData("/auth/nothing-here")]
    [InlineData("/chat/a/b")]
    [InlineData("/signin/extra")]
    [InlineData("/etc/passwd")]
    public async Task Other_unknown_paths_keep_their_404_problem(string path)
    {
        await using var server = await ServerHarness.StartAsync();

        using var response = await server.Http.GetAsync(path, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json", path);
    }

    [Fact]
    public async Task Public_config_states_the_longest_message()
    {
        await using var server = await ServerHarness.StartAsync(settings: new Dictionary<string, string?> { ["Runs:MaxInputLength"] = "1234" });

        var (_, body) = await server.GetJsonAsync("/api/config/public");

        body.GetProperty("limits").GetProperty("max_input_length").GetInt32().ShouldBe(1234);
    }

    [GeneratedRegex("<script type=\"module\" crossorigin src=\"(?<src>[^\"]+)\"")]
    private static partial Regex ScriptSource();
}
