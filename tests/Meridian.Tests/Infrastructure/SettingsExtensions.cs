namespace Meridian.Tests.Infrastructure;

/// <summary>A harness's settings: its defaults, then what the test asks for on top.</summary>
internal static class SettingsExtensions
{
    public static Dictionary<string, string?> With(this Dictionary<string, string?> defaults, IDictionary<string, string?>? overrides)
    {
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            defaults[key] = value;
        }

        return defaults;
    }
}
