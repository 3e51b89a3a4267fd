using System.Text.Json;
using Meridian.Client.Events;
using Spectre.Console;

namespace Meridian.Cli.Chat;

/// <summary>Prints a run's events as they arrive: a line per stage, tool call and thought, and the answer's deltas
/// as they stream (the line is closed before anything else is printed).</summary>
internal sealed class EventPrinter(IAnsiConsole console)
{
    private const int SummaryLength = 160;
    private bool _midLine;

    public void Print(RunEvent e)
    {
        switch (e)
        {
            case AgentResponseDelta delta:
                console.Profile.Out.Writer.Write(delta.Delta);
                console.Profile.Out.Writer.Flush();
                _midLine = !(delta.Delta ?? "").EndsWith('\n');
                return;
            case AgentStarted started:
                Line("blue", $"▶ run {started.RunId}: {string.Join(" → ", started.Agents)}");
                break;
            case SubagentStarted stage:
                Line("blue", $"• {stage.AgentName} started{(stage.Message is { Length: > 0 } m ? ": " + m : "")}");
                break;
            case SubagentCompleted stage:
                Line(stage.Status == "failed" ? "red" : "blue", $"• {stage.AgentName} {stage.Status}{Ms(stage.DurationMs)}{(stage.Summary is { Length: > 0 } s ? ": " + Short(s) : "")}");
                break;
            case AgentThinking thinking:
                Line("grey", $"… {Short(thinking.Reasoning ?? "")}");
                break;
            case ToolExecuting tool:
                Line("yellow", $"⚙ {tool.ToolName}({Short(tool.Parameters is { ValueKind: not JsonValueKind.Undefined } p ? p.GetRawText() : "")})");
                break;
            case ToolCompleted tool:
                Line(tool.Status == "error" ? "red" : "yellow", $"✓ {tool.ToolName} {tool.Status}{Ms(tool.DurationMs)}: {Short(tool.Result ?? "")}");
                break;
            case AgentCompleted done:
                Line("green", $"✔ completed{Ms(done.DurationMs)}");
                break;
            case AgentFailed failed:
                Line("red", $"✘ failed {failed.ErrorCode}: {failed.Message}");
                break;
            case AgentStopped stopped:
                Line("red", $"■ stopped: {stopped.Reason}");
                break;
            default:
                Line("grey", $"{e.Type} {Short(e.Raw.GetRawText())}");
                break;
        }
    }

    /// <summary>A line of its own, after the answer's text if one was being streamed.</summary>
    public void Line(string color, string text)
    {
        EndLine();
        console.MarkupLine($"[{color}]{Markup.Escape(text)}[/]");
    }

    public void EndLine()
    {
        if (_midLine)
        {
            console.Profile.Out.Writer.WriteLine();
            _midLine = false;
        }
    }

    private static string Ms(long? ms) => ms is { } v ? $" in {v} ms" : "";

    private static string Short(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= SummaryLength ? line : line[..SummaryLength] + "…";
    }
}
