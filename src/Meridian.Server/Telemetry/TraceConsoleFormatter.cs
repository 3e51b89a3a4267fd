using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Meridian.Server.Telemetry;

/// <summary>The console's usual layout (<c>info: Category[event id]</c>, then the message indented) with the trace and
/// span ids of the current span at the end of the first line, so that a line leads to its trace
/// (docs/operations.md#7-traces). Used only while traces are exported; the message lines stay as they are, and no
/// log scopes are printed (the simple formatter's scope line would carry every scope of the request).</summary>
internal sealed class TraceConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "meridian-trace";

    private const string Indent = "      ";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
        {
            return;
        }

        textWriter.Write(Level(logEntry.LogLevel));
        textWriter.Write(": ");
        textWriter.Write(logEntry.Category);
        textWriter.Write('[');
        textWriter.Write(logEntry.EventId.Id);
        textWriter.Write(']');
        if (Activity.Current is { } span)
        {
            textWriter.Write(" trace_id=");
            textWriter.Write(span.TraceId.ToHexString());
            textWriter.Write(" span_id=");
            textWriter.Write(span.SpanId.ToHexString());
        }

        textWriter.Write('\n');
        WriteIndented(textWriter, message);
        if (logEntry.Exception is { } exception)
        {
            WriteIndented(textWriter, exception.ToString());
        }
    }

    private static void WriteIndented(TextWriter textWriter, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        textWriter.Write(Indent);
        textWriter.Write(text.Replace("\n", "\n" + Indent, StringComparison.Ordinal));
        textWriter.Write('\n');
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}
