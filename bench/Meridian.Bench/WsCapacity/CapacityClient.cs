using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Meridian.Testing.Sockets;

namespace Meridian.Bench.WsCapacity;

/// <summary>A worker process of ws-capacity: opens its share of the sockets, paced, from its source addresses, keeps
/// them open answering pings, and reports. Commands on stdin: <c>go</c>, <c>count</c>, <c>exit</c>; answers on
/// stdout: <c>ready</c>, <c>done {json}</c>, <c>open N</c>.</summary>
internal sealed class CapacityClient : IDisposable
{
    private readonly Uri _server;
    private readonly int _first;
    private readonly int _count;
    private readonly double _rate;
    private readonly HttpMessageInvoker[] _invokers;
    private readonly Dictionary<int, string> _tokens = [];
    private readonly int _users;
    private readonly double[] _welcome;
    private readonly WsClient?[] _sockets;
    private readonly Dictionary<string, int> _failures = [];
    private readonly CancellationTokenSource _stop = new();

    private CapacityClient(string[] args)
    {
        _server = new Uri(args[1]);
        _first = int.Parse(args[2], CultureInfo.InvariantCulture);
        _count = int.Parse(args[3], CultureInfo.InvariantCulture);
        _rate = double.Parse(args[4], CultureInfo.InvariantCulture);
        var addresses = int.Parse(args[5], CultureInfo.InvariantCulture);
        _users = int.Parse(args[6], CultureInfo.InvariantCulture);
        _invokers = [.. Enumerable.Range(0, addresses).Select(a => SourceAddress.InvokerFrom(IPAddress.Parse($"127.0.0.{a + 2}")))];
        for (var i = _first; i < _first + _count; i++)
        {
            if (!_tokens.ContainsKey(i % _users))
            {
                _tokens[i % _users] = BenchAuth.Token($"cap_{i % _users}", TimeSpan.FromHours(3));
            }
        }

        _welcome = new double[_count];
        _sockets = new WsClient?[_count];
    }

    /// <summary>Runs a worker: <c>ws-capacity-client server first count rate addresses users</c>.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        using var client = new CapacityClient(args);
        await client.WarmUpAsync();
        Console.WriteLine("ready");
        if (await Console.In.ReadLineAsync() != "go")
        {
            return 1;
        }

        await client.RampAsync();
        client.ReportDone();
        await client.ServeAsync();
        return 0;
    }

    /// <summary>An authenticated socket as the benchmark opens it: from a source address, no keep-alives of the
    /// client's own (the server pings; a pending receive answers), the welcome received.</summary>
    public static Task<WsClient> OpenAsync(Uri server, string token, HttpMessageInvoker? invoker) =>
        WsClient.OpenAsync(server, token, invoker, keepAlive: TimeSpan.Zero, wait: TimeSpan.FromSeconds(60));

    public void Dispose()
    {
        _stop.Dispose();
        foreach (var invoker in _invokers)
        {
            invoker.Dispose();
        }
    }

    /// <summary>JIT of the client stack and one connection from every source address, on users the orchestrator's
    /// warm-up already provisioned, so the ramp measures the server and not a cold client.</summary>
    private Task WarmUpAsync() => Task.WhenAll(Enumerable.Range(0, _invokers.Length * 4).Select(async i =>
    {
        await using var socket = await OpenAsync(_server, BenchAuth.Token($"cap_{i % 50}", TimeSpan.FromHours(1)), _invokers[i % _invokers.Length]);
    }));

    /// <summary>Opens the sockets at the worker's rate: socket n is due n / rate seconds after the start.</summary>
    private async Task RampAsync()
    {
        var started = Stopwatch.GetTimestamp();
        var opening = new List<Task>(_count);
        for (var n = 0; n < _count; n++)
        {
            var wait = TimeSpan.FromSeconds(n / _rate) - Stopwatch.GetElapsedTime(started);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            var slot = n;
            opening.Add(Task.Run(() => OpenSlotAsync(slot)));
        }

        await Task.WhenAll(opening);
    }

    /// <summary>Opens one socket and times it from the start of the connect to the end of the welcome; it then
    /// reads (and drops) whatever comes, so pings are answered.</summary>
    private async Task OpenSlotAsync(int slot)
    {
        var global = _first + slot;
        try
        {
            var started = Stopwatch.GetTimestamp();
            var socket = await OpenAsync(_server, _tokens[global % _users], _invokers[global % _invokers.Length]);
            _welcome[slot] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            _sockets[slot] = socket;
            _ = Task.Run(() => socket.DrainAsync(_stop.Token));
        }
        catch (Exception ex)
        {
            _welcome[slot] = double.NaN;
            var key = ex.GetType().Name + ": " + (ex.InnerException?.Message ?? ex.Message);
            lock (_failures)
            {
                _failures[key] = _failures.GetValueOrDefault(key) + 1;
            }
        }
    }

    private void ReportDone()
    {
        var ok = _welcome.Count(w => !double.IsNaN(w));
        Console.WriteLine("done " + JsonSerializer.Serialize(new
        {
            opened = ok,
            failed = _count - ok,
            first = _first,
            welcome_ms = _welcome.Select(w => double.IsNaN(w) ? -1 : Math.Round(w, 3)), // by socket, in ramp order; -1 failed
            errors = _failures.Select(f => $"{f.Value}× {f.Key}"),
        }));
    }

    /// <summary>Answers <c>count</c> until <c>exit</c>, then drops every socket.</summary>
    private async Task ServeAsync()
    {
        while (await Console.In.ReadLineAsync() is { } command)
        {
            if (command == "count")
            {
                Console.WriteLine($"open {_sockets.Count(s => s is { Socket.State: WebSocketState.Open })}");
            }
            else if (command == "exit")
            {
                break;
            }
        }

        await _stop.CancelAsync();
        foreach (var socket in _sockets)
        {
            socket?.Socket.Abort();
        }
    }
}
