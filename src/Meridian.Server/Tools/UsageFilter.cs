namespace Meridian.Server.Tools;

/// <summary>Which records a question is about. Empty fields select everything; <see cref="LastDays"/> counts back
/// from the newest record, so "the last 30 days" means the same thing for an old export as for live data.</summary>
public sealed record UsageFilter(int? LastDays = null, string? Model = null, string? Feature = null)
{
    public static readonly UsageFilter All = new();
}
