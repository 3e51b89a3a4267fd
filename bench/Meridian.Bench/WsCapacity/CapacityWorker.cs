using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;

namespace Meridian.Bench.WsCapacity;

/// <summary>A client worker process (this program in <c>ws-capacity-client</c> mode, <see cref="CapacityClient"/>) and
/// its stdout, line by line.</summary>
internal sealed class CapacityWorker
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

    private CapacityWorker(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                _lines.Writer.TryWrite(line);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                Console.Error.WriteLine($"[worker {process.Id}] {line}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static CapacityWorker Start(Uri server, int first, int count, double rate, int addresses, int users)
    {
        var start = SelfStart();
        foreach (var arg in new[] { "ws-capacity-client", server.ToString(), Str(first), Str(count), rate.ToString("R", CultureInfo.InvariantCulture), Str(addresses), Str(users) })
        {
            start.ArgumentList.Add(arg);
        }

        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        return new CapacityWorker(Process.Start(start)!);
    }

    public void Send(string command) => _process.StandardInput.WriteLine(command);

    public async Task<string> ExpectAsync(string prefix)
    {
        await foreach (var line in _lines.Reader.ReadAllAsync())
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line;
            }

            Console.WriteLine($"[worker {_process.Id}] {line}");
        }

        throw new InvalidOperationException($"worker {_process.Id} ended before '{prefix}'");
    }

    public async Task ExitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }

        _process.Dispose();
    }

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>This program again: its apphost, or <c>dotnet Meridian.Bench.dll</c>.</summary>
    private static ProcessStartInfo SelfStart()
    {
        var path = Environment.ProcessPath!;
        var start = new ProcessStartInfo(path) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(path) == "dotnet")
        {
            start.ArgumentList.Add(typeof(CapacityWorker).Assembly.Location);
        }

        return start;
    }
}
