using System.Text;

namespace Meridian.Server.Workloads;

/// <summary>Field names as they appear in CSV headers and JSON Lines properties, matched without regard to case.</summary>
public static class UsageFields
{
    public const int Count = 12;

    public static readonly string[] Names =
        ["timestamp", "model", "provider", "input_tokens", "output_tokens", "latency_ms", "cost_usd", "status", "feature", "prompt_hash", "requests", "cached_input_tokens"];

    /// <summary>Fields a file must give for every record; the others have documented defaults.</summary>
    public static readonly UsageField[] Required =
        [UsageField.Timestamp, UsageField.Model, UsageField.InputTokens, UsageField.OutputTokens, UsageField.LatencyMs, UsageField.Status];

    private static readonly byte[][] Utf8Names = Names.Select(Encoding.UTF8.GetBytes).ToArray();

    public static string Name(UsageField field) => Names[(int)field];

    /// <summary>The field a header cell or property names (surrounding spaces ignored), or null for another name.</summary>
    public static UsageField? Find(ReadOnlySpan<byte> name)
    {
        name = name.Trim(" \t"u8);
        for (var i = 0; i < Utf8Names.Length; i++)
        {
            if (Ascii.EqualsIgnoreCase(name, Utf8Names[i]))
            {
                return (UsageField)i;
            }
        }

        return null;
    }
}
