using System.Text.Json;

namespace Meridian.Server.Workloads;

/// <summary>One item of an export (a log row, an observation, a usage bucket): a JSON object, or a CSV row whose cells
/// are read as JSON values (a cell holding an object or array, such as LiteLLM's <c>metadata</c>, is parsed; other
/// cells are strings). Mappers read both the same way.</summary>
internal readonly struct ExportItem
{
    private readonly JsonElement _json;
    private readonly IReadOnlyList<string>? _columns;
    private readonly IReadOnlyList<string>? _cells;

    private ExportItem(JsonElement json, IReadOnlyList<string>? columns, IReadOnlyList<string>? cells) =>
        (_json, _columns, _cells) = (json, columns, cells);

    public static ExportItem Of(JsonElement json) => new(json, null, null);

    public static ExportItem Of(IReadOnlyList<string> columns, IReadOnlyList<string> cells) => new(default, columns, cells);

    /// <summary>The value of a property (or column); null when it is absent, JSON null or an empty cell.</summary>
    public JsonElement? this[string name] => _columns is null ? _json.Field(name) : Cell(name);

    private JsonElement? Cell(string name)
    {
        for (var i = 0; i < _columns!.Count; i++)
        {
            if (string.Equals(_columns[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i < _cells!.Count ? Parse(_cells[i]) : null;
            }
        }

        return null;
    }

    private static JsonElement? Parse(string cell)
    {
        var text = cell.Trim();
        if (text.Length == 0)
        {
            return null;
        }

        if (text[0] is '{' or '[')
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                return document.RootElement.Clone();
            }
            catch (JsonException)
            {
                // Not JSON after all: the cell's text, for the mapper to refuse by name.
            }
        }

        return JsonSerializer.SerializeToElement(text);
    }
}
