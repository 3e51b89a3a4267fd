using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Meridian.Tests.Validation;

/// <summary>The <c>meridian</c> command run as a real process (the built meridian.dll), with a hang guard.</summary>
/// <summary>What one run of the command left: exit code, output, and the reports it wrote (empty when none).</summary>
public sealed record CliRun(int ExitCode, string Output, string Error, TimeSpan Elapsed, IReadOnlyDictionary<string, string> Reports)
{
    public JsonElement Report => JsonDocument.Parse(Reports["validation.json"]).RootElement.Clone();

    /// <summary>How long the validation took by its own clock (<c>duration_ms</c> of the report): the process's start-up
    /// and the machine's load before the first check are not part of it.</summary>
    public TimeSpan Duration => TimeSpan.FromMilliseconds(Report.GetProperty("duration_ms").GetDouble());

    public string Markdown => Reports["validation.md"];

    public string JUnit => Reports["validation.junit.xml"];

    /// <summary>The report's entry for one check (<c>module.name</c>).</summary>
    public JsonElement Check(string id) => Report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);

    /// <summary>The diagnosis of one check: its id, summary and evidence lines.</summary>
    public (string Id, string Summary, List<string> Evidence) Diagnosis(string check)
    {
        var d = Check(check).GetProperty("diagnosis");
        return (d.GetProperty("id").GetString()!, d.GetProperty("summary").GetString()!, d.GetProperty("evidence").EnumerateArray().Select(e => e.GetString()!).ToList());
    }

    public string Outcome(string check) => Check(check).GetProperty("outcome").GetString()!;

    /// <summary>The checks that failed with this diagnosis id.</summary>
    public List<JsonElement> FailedWith(string diagnosis) => Report.GetProperty("checks").EnumerateArray()
        .Where(c => c.GetProperty("outcome").GetString() == "failed" && c.GetProperty("diagnosis").GetProperty("id").GetString() == diagnosis)
        .ToList();

    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalSeconds:0.0} s\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

public static class CliProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "meridian.dll");

    /// <summary>Runs <c>meridian</c> with the arguments; for <c>validate</c> a fresh report folder is added.</summary>
    public static Task<CliRun> RunAsync(params string[] args) => RunWithInputAsync(null, args);

    /// <summary>Runs <c>meridian</c> with <paramref name="input"/> as its standard input (closed after it), or none.</summary>
    public static async Task<CliRun> RunWithInputAsync(string? input, params string[] args)
    {
        var reports = Directory.CreateTempSubdirectory("meridian-validate-").FullName;
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        if (args.Length > 0 && args[0] == "validate" && !args.Contains("--list"))
        {
            info.ArgumentList.Add("--report-dir");
            info.ArgumentList.Add(reports);
        }

        var output = new StringBuilder();
        var error = new StringBuilder();
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (error) { error.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"meridian {string.Join(' ', args)} did not exit within 3 minutes:\n{output}\n{error}");
        }

        process.WaitForExit();
        var written = Directory.EnumerateFiles(reports).ToDictionary(f => Path.GetFileName(f), File.ReadAllText);
        Directory.Delete(reports, recursive: true);
        return new CliRun(process.ExitCode, output.ToString(), error.ToString(), clock.Elapsed, written);
    }
}
