using System.CommandLine;
using Meridian.Cli.Import;
using Meridian.Cli.Output;
using Meridian.Client;
using Meridian.Client.Socket;
using Spectre.Console;

namespace Meridian.Cli.Commands;

/// <summary><c>meridian import FILE</c>: uploads usage records (CSV or JSON Lines) to <c>POST /api/workloads/import</c>,
/// streaming the file with a progress bar of the bytes sent. Exit 0 imported, 1 the server refused the file (its
/// per-line problems are printed), 2 could not run.</summary>
internal static class ImportCommand
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["csv"] = "text/csv",
        ["jsonl"] = "application/x-ndjson",
    };

    public static Command Create()
    {
        var target = new TargetOptions();
        var file = new Argument<FileInfo>("file") { Description = "The usage records: a .csv, .jsonl or .ndjson file" };
        var format = new Option<string?>("--format") { Description = "csv or jsonl (default: from the file's extension)" };
        format.AcceptOnlyFromAmong("csv", "jsonl");
        var skipInvalid = new Option<bool>("--skip-invalid") { Description = "Import the valid records and report the others (default: a file with a bad record imports nothing)" };
        var replace = new Option<bool>("--replace") { Description = "The file replaces your records instead of adding to them" };
        var timeout = DurationOption.Create("--timeout", "The most the upload and the server's answer may take", TimeSpan.FromMinutes(10), allowZero: false);
        var command = TargetCommand.Create(
            "import", "Import usage records (CSV or JSON Lines) with a progress bar; prints the counts and per-line problems.",
            target, [format, skipInvalid, replace, timeout], async (parsed, credentials, ct) =>
        {
            var path = parsed.GetValue(file)!;
            if (!path.Exists)
            {
                return Refuse($"no such file: {path.FullName}");
            }

            var kind = parsed.GetValue(format) ?? path.Extension.TrimStart('.').ToLowerInvariant() switch
            {
                "csv" => "csv",
                "jsonl" or "ndjson" => "jsonl",
                _ => null,
            };
            if (kind is null)
            {
                return Refuse($"cannot tell the format of {path.Name}: name it .csv, .jsonl or .ndjson, or give --format csv|jsonl.");
            }

            using var client = new MeridianClient(parsed.GetValue(target.Target)!, timeout: parsed.GetValue(timeout));
            try
            {
                await SignIn.RunAsync(client, credentials, parsed.GetValue(target.Email), "CLI import", ct);
            }
            catch (SignInException ex)
            {
                return Refuse(ex.Message);
            }

            var query = $"?format={kind}{(parsed.GetValue(skipInvalid) ? "&skip_invalid=true" : "")}{(parsed.GetValue(replace) ? "&replace=true" : "")}";
            var console = Terminal.Create();
            try
            {
                var response = await UploadAsync(console, client, path, "/api/workloads/import" + query, ContentTypes[kind], ct);
                return Print(console, response, path.Name);
            }
            catch (Exception ex) when (TransportFailure.Classify(ex) is { } stage && !ct.IsCancellationRequested)
            {
                console.MarkupLine($"[red]Upload failed[/] ({stage}): {Markup.Escape(TransportFailure.RootMessage(ex))}");
                return ExitCodes.Failed;
            }
        });
        command.Arguments.Add(file);
        return command;
    }

    private static async Task<Client.Http.ApiResponse> UploadAsync(
        IAnsiConsole console, MeridianClient client, FileInfo path, string route, string contentType, CancellationToken ct)
    {
        Client.Http.ApiResponse? response = null;
        await console.Progress().AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(Markup.Escape(path.Name), maxValue: Math.Max(path.Length, 1));
                using var upload = new FileUpload(path.FullName, contentType, sent => task.Value = sent).Typed();
                response = await client.SendAsync(HttpMethod.Post, route, upload, ct: ct);
                task.Value = task.MaxValue;
            });
        return response!;
    }

    private static int Print(IAnsiConsole console, Client.Http.ApiResponse response, string name)
    {
        var answer = response.Json is { } body ? ImportAnswer.Read(body) : null;
        if (response.IsSuccess && answer is not null)
        {
            console.MarkupLine($"[green]Imported {answer.Imported}[/] records from {Markup.Escape(name)}, skipped {answer.Skipped}.");
            PrintRowErrors(console, answer);
            return ExitCodes.Ok;
        }

        console.MarkupLine($"[red]Import refused:[/] {Markup.Escape(response.Describe())}");
        if (answer is not null)
        {
            console.WriteLine($"{answer.ErrorCount} problem(s); imported {answer.Imported}, skipped {answer.Skipped}.");
            PrintRowErrors(console, answer);
        }
        else if (response.Body.Length > 0)
        {
            console.WriteLine(response.Body.Length > 2000 ? response.Body[..2000] : response.Body);
        }

        return ExitCodes.Failed;
    }

    private static void PrintRowErrors(IAnsiConsole console, ImportAnswer answer)
    {
        foreach (var (line, field, reason) in answer.RowErrors)
        {
            console.WriteLine($"  line {line?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}: {field ?? "(record)"}: {reason}");
        }

        if (answer.ErrorCount > answer.RowErrors.Count)
        {
            console.WriteLine($"  … and {answer.ErrorCount - answer.RowErrors.Count} more");
        }
    }

    private static int Refuse(string message) => TargetCommand.Refuse("import", message);
}
