using System.Globalization;
using System.Text.Json;
using Meridian.Client;
using Spectre.Console;

namespace Meridian.Cli.Prices;

/// <summary>Prints the answer of <c>POST /api/prices/check</c> (docs/cli.md#8-meridian-prices-check): the two catalogs,
/// then the models added, removed and repriced, at most <c>limit</c> rows each.</summary>
internal static class PriceCheckPrinter
{
    private static readonly string[] PriceFields = ["input_per_million", "cached_input_per_million", "output_per_million"];

    public static int Print(IAnsiConsole console, JsonElement check, int limit)
    {
        console.MarkupLine($"In use:    {Describe(check.GetProperty("in_use"))}");
        console.MarkupLine($"Candidate: {Describe(check.GetProperty("candidate"))}");
        var added = check.GetProperty("added").EnumerateArray().ToList();
        var removed = check.GetProperty("removed").EnumerateArray().ToList();
        var changed = check.GetProperty("changed").EnumerateArray().ToList();
        if (added.Count + removed.Count + changed.Count == 0)
        {
            console.MarkupLine("[green]No change:[/] the list prices every model as the catalog in use does.");
            return ExitCodes.Ok;
        }

        Section(console, "Added", added, limit, m => [Name(m), Prices(m)]);
        Section(console, "Removed", removed, limit, m => [Name(m), Prices(m)]);
        Section(console, "Price changes", changed, limit, c => [Name(c), $"{Prices(c.GetProperty("old"))} → {Prices(c.GetProperty("new"))}"]);
        console.MarkupLine($"[yellow]{added.Count} added, {removed.Count} removed, {changed.Count} repriced[/] (USD per million tokens: input / cached input / output).");
        return ExitCodes.Differs;
    }

    private static void Section(IAnsiConsole console, string title, List<JsonElement> rows, int limit, Func<JsonElement, string[]> cells)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var table = new Table().Title($"{title} ({rows.Count})").AddColumns("model", "prices");
        foreach (var row in rows.Take(limit))
        {
            table.AddRow(cells(row).Select(Markup.Escape).ToArray());
        }

        console.Write(table);
        if (rows.Count > limit)
        {
            console.MarkupLine($"  … and {rows.Count - limit} more");
        }
    }

    private static string Describe(JsonElement info) =>
        Markup.Escape($"{info.Text("source")}, dated {info.Text("as_of")}, {info.Number("models")} models");

    private static string Name(JsonElement model) => $"{model.Text("model")}";

    private static string Prices(JsonElement m) =>
        string.Join(" / ", PriceFields.Select(f => m.GetProperty(f).GetDecimal().ToString("0.######", CultureInfo.InvariantCulture)));
}
