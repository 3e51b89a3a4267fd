using System.CommandLine;
using Meridian.Cli.Output;
using Meridian.Cli.Prices;
using Meridian.Client;
using Meridian.Client.Socket;

namespace Meridian.Cli.Commands;

/// <summary><c>meridian prices check [--source FILE|URL]</c>: what a price list would change in the catalog the target
/// server prices with (docs/cli.md#8-meridian-prices-check). The list is read here and sent to
/// <c>POST /api/prices/check</c>; without <c>--source</c> the server reads its own <c>Pricing:Source</c>. Exit 0 no
/// change, 1 something would change, 2 could not check.</summary>
internal static class PricesCommand
{
    private const string Name = "prices check";

    public static Command Create() => new("prices", "The price catalog the server uses.") { CheckCommand() };

    private static Command CheckCommand()
    {
        var target = new TargetOptions();
        var source = new Option<string?>("--source") { Description = "A price list in LiteLLM's JSON format: a file or an http(s) URL (default: the server's Pricing:Source)" };
        var limit = new Option<int>("--limit") { Description = "The most models listed per section", DefaultValueFactory = _ => 50 };
        var timeout = DurationOption.Create("--timeout", "The most reading the list and the server's answer may take", TimeSpan.FromMinutes(2), allowZero: false);
        return TargetCommand.Create("check", "Print what a price list would change (models added, removed, repriced) compared with the catalog in use.",
            target, [source, limit, timeout], async (parsed, credentials, ct) =>
        {
            var wait = parsed.GetValue(timeout);
            var (body, problem) = await PriceListInput.ReadAsync(parsed.GetValue(source), wait, ct);
            if (problem is not null)
            {
                return TargetCommand.Refuse(Name, problem);
            }

            using var client = new MeridianClient(parsed.GetValue(target.Target)!, timeout: wait);
            try
            {
                await SignIn.RunAsync(client, credentials, parsed.GetValue(target.Email), "CLI prices check", ct);
                var response = await client.SendAsync(HttpMethod.Post, "/api/prices/check", body, ct: ct);
                return response.IsSuccess && response.Json is { } check
                    ? PriceCheckPrinter.Print(Terminal.Create(), check, Math.Max(1, parsed.GetValue(limit)))
                    : TargetCommand.Refuse(Name, $"the server refused the check: {response.Describe()}");
            }
            catch (SignInException ex)
            {
                return TargetCommand.Refuse(Name, ex.Message);
            }
            catch (Exception ex) when (TransportFailure.Classify(ex) is { } stage && !ct.IsCancellationRequested)
            {
                return TargetCommand.Refuse(Name, $"could not reach the server ({stage}): {TransportFailure.RootMessage(ex)}");
            }
        });
    }
}
