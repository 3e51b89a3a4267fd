using Meridian.Server.Workloads;
using Meridian.Tests.Auth;
using Meridian.Tests.Infrastructure;
using Meridian.Tests.Runs;
using Meridian.Tests.Validation;

namespace Meridian.Tests.Cli;

/// <summary><c>meridian import</c> as a process against a real server: a good file is uploaded whole and its counts
/// printed; a file with bad records exits 1 printing each line's problem and stores nothing; what it cannot use
/// exits 2.</summary>
public sealed class ImportCommandTests
{
    private const string Header = "timestamp,model,provider,input_tokens,output_tokens,latency_ms,cost_usd,status,feature,prompt_hash";

    private static readonly string Alice = RuntimeHarness.Token("user_a");

    [Fact]
    public async Task A_small_csv_is_streamed_whole_and_its_count_printed()
    {
        await using var server = await StartAsync();
        var rows = Enumerable.Range(0, 500).Select(i => $"2026-11-20T09:{i / 60 % 60:00}:{i % 60:00}Z,gpt-4o-mini,openai,{600 + i},148,980.5,,ok,faq_answer,h{i}");
        var file = Write("usage.csv", [Header, .. rows]);

        var run = await ImportAsync(server, file);

        run.ExitCode.ShouldBe(0, run.ToString());
        run.Output.ShouldContain("Imported 500 records from usage.csv, skipped 0.");
        var stored = await server.Service<UsageStore>().LoadAsync("user_a", TestContext.Current.CancellationToken);
        stored.Count.ShouldBe(500);
        stored.Sum(r => r.InputTokens).ShouldBe(Enumerable.Range(0, 500).Sum(i => 600L + i));
    }

    [Fact]
    public async Task A_file_with_bad_records_exits_1_showing_each_line_and_skip_invalid_imports_the_rest()
    {
        await using var server = await StartAsync();
        var file = Write("bad.csv", [
            Header,
            "2026-11-20T09:15:02Z,gpt-4o,openai,1834,212,2140,,ok,support_chat,a",
            "2026-11-20T09:15:07Z,gpt-4o,openai,lots,212,2140,,ok,support_chat,b",
            "2026-11-20T09:15:09Z,gpt-4o,openai,1834,212,2140,,ok,support_chat,c",
            "2026-11-20T09:15:12Z,gpt-4o,openai,-,212,2140,,ok,support_chat,d",
        ]);
        var store = server.Service<UsageStore>();

        var refused = await ImportAsync(server, file);
        var storedAfterRefusal = await store.CountAsync("user_a", TestContext.Current.CancellationToken);
        var skipping = await ImportAsync(server, file, "--skip-invalid");

        refused.ExitCode.ShouldBe(1, refused.ToString());
        refused.Output.ShouldContain("answered 422");
        refused.Output.ShouldContain("line 3: input_tokens");
        refused.Output.ShouldContain("line 5: input_tokens");
        storedAfterRefusal.ShouldBe(0);
        skipping.ExitCode.ShouldBe(0, skipping.ToString());
        skipping.Output.ShouldContain("Imported 2 records from bad.csv, skipped 2.");
        skipping.Output.ShouldContain("line 3: input_tokens");
        (await store.CountAsync("user_a", TestContext.Current.CancellationToken)).ShouldBe(2);
    }

    [Fact]
    public async Task What_it_cannot_use_exits_2()
    {
        await using var server = await StartAsync();
        var target = server.BaseAddress.ToString();
        var unknownFormat = await CliProcess.RunAsync("import", Write("usage.txt", [Header]), "--target", target, "--token", Alice);
        unknownFormat.ExitCode.ShouldBe(2);
        unknownFormat.Error.ShouldContain("cannot tell the format");
        (await CliProcess.RunAsync("import", "/no/such/file.csv", "--target", target, "--token", Alice)).ExitCode.ShouldBe(2);
        var refused = await CliProcess.RunAsync("import", Write("usage.csv", [Header]), "--target", target, "--token", "wrong");
        refused.ExitCode.ShouldBe(2, refused.ToString());
        refused.Error.ShouldContain("sign-in refused");
    }

    private static Task<ServerHarness> StartAsync() =>
        ServerHarness.StartAsync(settings: new Dictionary<string, string?> { ["Auth:JwtSecret"] = AuthHarness.Secret });

    private static Task<CliRun> ImportAsync(ServerHarness server, string file, params string[] extra) =>
        CliProcess.RunAsync(["import", file, "--target", server.BaseAddress.ToString(), "--token", Alice, .. extra]);

    private static string Write(string name, IEnumerable<string> lines)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("meridian-import-").FullName, name);
        File.WriteAllLines(path, lines);
        return path;
    }
}
