namespace Meridian.Tests.Web;

/// <summary>What the page shows of one run: stages and tool cards as <c>name:status</c> in order, the number of
/// thinking lines and the report's text.</summary>
internal sealed record RunView(List<string> Stages, List<string> Tools, int ThinkingLines, string Report)
{
    public override string ToString() =>
        $"stages [{string.Join(", ", Stages)}], tools [{string.Join(", ", Tools)}], {ThinkingLines} thinking lines, report:\n{Report}";
}
