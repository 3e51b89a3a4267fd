namespace Meridian.Tests.Web;

/// <summary>The app's pages (every client-side route answers index.html) carry a Content-Security-Policy whose
/// scripts are the app's own files: no inline script may run, so an injected one is inert (docs/ui.md).</summary>
public sealed class ContentSecurityPolicyTests
{
    [Fact]
    public async Task The_app_pages_carry_a_content_security_policy_without_unsafe_inline_scripts()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("meridian-csp-").FullName;
        await using var server = ServerProcess.Start(new Dictionary<string, string?> { ["MERIDIAN_Server__DataDirectory"] = dataDirectory });
        await server.WaitForHealthyAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        foreach (var path in new[] { "/", "/signin", "/register", "/chat", "/chat/0b7c5a8e-1d3f-4a55-9a1e-2f7c1b9d4e60", "/usage", "/ingest" })
        {
            using var response = await http.GetAsync(path, TestContext.Current.CancellationToken);
            response.IsSuccessStatusCode.ShouldBeTrue($"{path}: {(int)response.StatusCode}");
            response.Content.Headers.ContentType?.MediaType.ShouldBe("text/html", path);
            response.Headers.TryGetValues("Content-Security-Policy", out var values).ShouldBeTrue($"{path} has no Content-Security-Policy");
            var directives = string.Join(";", values!).Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(d => d.Split(' ', 2))
                .ToDictionary(d => d[0].ToLowerInvariant(), d => d.Length > 1 ? d[1] : "", StringComparer.Ordinal);
            var scripts = directives.GetValueOrDefault("script-src") ?? directives.GetValueOrDefault("default-src");
            scripts.ShouldNotBeNull($"{path}: the policy restricts no scripts");
            scripts.ShouldNotContain("'unsafe-inline'", Case.Insensitive, path);
            scripts.ShouldNotContain("'unsafe-eval'", Case.Insensitive, path);
            scripts.Split(' ').ShouldNotContain("*", path);
        }

        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A process still closing its files; the temp folder is cleaned by the OS.
        }
    }
}
