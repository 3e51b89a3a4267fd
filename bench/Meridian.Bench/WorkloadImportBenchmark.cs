using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime;
using System.Text;
using System.Text.Json;
using Meridian.Server.Workloads;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Meridian.Bench;

/// <summary>Usage-record import over real HTTP into an in-process server on SQLite: a CSV generated while it is
/// sent (never held whole by either side) of 100,000 and of 1,000,000 records. Reports records per second and the
/// process's peak working set and GC heap during each import, so memory can be compared across a tenfold larger
/// file. Baseline in the same run: the same 1,000,000-record body sent to a route that only reads and discards it.
/// Then the time of storing the same records without HTTP and parsing (how long SQLite's write turn is held), and the
/// time and memory of loading them back (<see cref="UsageStore.LoadAsync"/>).</summary>
internal static class WorkloadImportBenchmark
{
    public static async Task<string> RunAsync(bool quick)
    {
        var large = quick ? 100_000 : 1_000_000;
        var small = large / 10;
        await using var server = await InProcessServer.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:JwtSecret"] = "bench-secret-for-meridian-workload-import-0123456789",
        }, endpoints: app => app.MapPost("/bench/drain", DrainAsync));
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(30) };
        var (tokenSmall, _) = await RegisterAsync(http, "small@bench.example");
        var (tokenLarge, userId) = await RegisterAsync(http, "large@bench.example");

        // Warm up: JIT (enough records for the hot loops to reach optimised code), connection pool, first SQLite pages.
        var (warmToken, _) = await RegisterAsync(http, "warm@bench.example");
        for (var i = 0; i < 4; i++)
        {
            await SendAsync(http, "/api/workloads/import?replace=true", small, warmToken);
        }

        var idle = Snapshot();
        var drain = await SendAsync(http, "/bench/drain", large, null);
        var smallImport = await SendAsync(http, "/api/workloads/import", small, tokenSmall);
        var largeImport = await SendAsync(http, "/api/workloads/import", large, tokenLarge);
        var store = server.Service<UsageStore>();
        var records = await store.LoadAsync(userId, CancellationToken.None);
        var (_, storeUserId) = await RegisterAsync(http, "store@bench.example");
        var storeOnly = await MeasureAsync(async () => (int)await store.InsertAsync(storeUserId, records, false, CancellationToken.None));
        records = null;
        var load = await MeasureAsync(async () => (await store.LoadAsync(userId, CancellationToken.None)).Count);
        return Report(large, idle, drain, smallImport, largeImport, storeOnly, load);
    }

    private static string Report(int large, (long WorkingSet, long Heap) idle, Measurement drain, Measurement smallImport, Measurement largeImport, Measurement storeOnly, Measurement load)
    {
        var text = new StringBuilder();
        var gc = GCSettings.IsServerGC ? "server GC" : "workstation GC";
        text.AppendLine(CultureInfo.InvariantCulture, $"### workloads-import: CSV usage records over HTTP into SQLite, streamed ({gc})");
        text.AppendLine();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Idle server before the imports: working set {Mb(idle.WorkingSet)}, GC heap {Mb(idle.Heap)}. ") +
            $"Load average at the end (shared machine): {LoadAverage()}.");
        text.AppendLine();
        text.AppendLine("| measurement | records | body | time | records/s | CPU per record | peak working set | peak GC heap |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        text.AppendLine(Row("baseline: body read and discarded", drain));
        text.AppendLine(Row("import (parse, validate, store)", smallImport));
        text.AppendLine(Row("import (parse, validate, store)", largeImport));
        text.AppendLine(Row("of which storing (`UsageStore.InsertAsync`, one transaction)", storeOnly));
        text.AppendLine(Row("load back (`UsageStore.LoadAsync`)", load));
        text.AppendLine();
        var growth = (double)(largeImport.PeakWorkingSet - idle.WorkingSet) / Math.Max(1, smallImport.PeakWorkingSet - idle.WorkingSet);
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Import of {large:N0} records: {largeImport.Rate / drain.Rate:P0} of the baseline's rate ({largeImport.Cpu / drain.Cpu:F1}× its CPU time; the process, client included, on a shared machine). Peak working set above idle: " +
            $"{Mb(largeImport.PeakWorkingSet - idle.WorkingSet)} for a {Mb(largeImport.Bytes)} file vs {Mb(smallImport.PeakWorkingSet - idle.WorkingSet)} " +
            $"for a {Mb(smallImport.Bytes)} one: {(double)largeImport.Bytes / smallImport.Bytes:F0}× the data, {growth:F1}× the memory") +
            (largeImport.PeakWorkingSet - idle.WorkingSet < largeImport.Bytes ? ", less than the file itself." : "."));
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Storing alone (records already in memory) takes {storeOnly.Elapsed.TotalSeconds:F1} s of the import's {largeImport.Elapsed.TotalSeconds:F1} s; on SQLite other writers wait that long for the write turn.");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Loading the {load.Records:N0} records back holds them all in memory by design (the tools' input): {Mb(load.PeakHeap - idle.Heap)} of GC heap above idle.");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Command: `dotnet run -c Release --project bench/Meridian.Bench -- workloads-import`");
        return text.ToString();
    }

    private sealed record Measurement(long Records, long Bytes, TimeSpan Elapsed, TimeSpan Cpu, long PeakWorkingSet, long PeakHeap)
    {
        public double Rate => Records / Elapsed.TotalSeconds;
    }

    private static string Row(string name, Measurement m) => string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {m.Records:N0} | {(m.Bytes > 0 ? Mb(m.Bytes) : "—")} | {m.Elapsed.TotalSeconds:F2} s | {m.Rate:N0} | {m.Cpu.TotalMicroseconds / m.Records:F1} µs | {Mb(m.PeakWorkingSet)} | {Mb(m.PeakHeap)} |");

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):F1} MiB");

    private static (long WorkingSet, long Heap) Snapshot()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return (process.WorkingSet64, GC.GetTotalMemory(false));
    }

    /// <summary>Streams a generated CSV of <paramref name="records"/> rows to <paramref name="path"/>.</summary>
    private static async Task<Measurement> SendAsync(HttpClient http, string path, int records, string? token)
    {
        var content = new GeneratedCsv(records);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var measurement = await MeasureAsync(async () =>
        {
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {body}");
            }

            return records;
        });
        return measurement with { Bytes = content.Bytes };
    }

    /// <summary>Runs <paramref name="work"/> while sampling the process's working set and GC heap.</summary>
    private static async Task<Measurement> MeasureAsync(Func<Task<int>> work)
    {
        Snapshot();
        long peakWorkingSet = 0, peakHeap = 0;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            using var process = Process.GetCurrentProcess();
            while (!stop.IsCancellationRequested)
            {
                process.Refresh();
                peakWorkingSet = Math.Max(peakWorkingSet, process.WorkingSet64);
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                await Task.Delay(20);
            }
        });
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var records = await work();
        var elapsed = Stopwatch.GetElapsedTime(started);
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        await stop.CancelAsync();
        await sampler;
        return new Measurement(records, 0, elapsed, cpu, peakWorkingSet, peakHeap);
    }

    private static async Task<(string Token, string UserId)> RegisterAsync(HttpClient http, string email)
    {
        using var response = await http.PostAsJsonAsync("/auth/register", new { email, password = "bench password 0123456789", name = "Bench" });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("access_token").GetString()!, body.GetProperty("user").GetProperty("id").GetString()!);
    }

    private static async Task DrainAsync(HttpContext context)
    {
        context.Features.Get<IHttpMaxRequestBodySizeFeature>()!.MaxRequestBodySize = null;
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        await context.Response.WriteAsJsonAsync(new { bytes = total });
    }

    /// <summary>A CSV body written as it is sent: header, then rows with a realistic spread of models, features,
    /// token counts, errors, prompt hashes, and costs present on half the rows (the others are priced on import).</summary>
    private sealed class GeneratedCsv : HttpContent
    {
        private readonly int _records;

        public GeneratedCsv(int records)
        {
            _records = records;
            Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        }

        private static readonly string[] Models = ["gpt-4o", "gpt-4o-mini", "claude-sonnet-4-5-20250929", "claude-haiku-4-5", "gemini-2.5-flash", "gpt-4.1-mini"];
        private static readonly string[] Features = ["support_chat", "faq_answer", "doc_qa", "query_rewrite", "summary"];

        public long Bytes { get; private set; }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var start = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
            var writer = new StringBuilder();
            writer.Append("timestamp,model,provider,input_tokens,output_tokens,latency_ms,cost_usd,status,feature,prompt_hash\n");
            var state = 12345UL;
            for (var i = 0; i < _records; i++)
            {
                state = state * 6364136223846793005UL + 1442695040888963407UL;
                var input = 200 + (long)(state >> 50);
                var output = 20 + (long)((state >> 40) & 0x3FF);
                var cost = i % 2 == 0 ? ((input * 2.5 + output * 10) / 1_000_000).ToString("0.########", CultureInfo.InvariantCulture) : "";
                writer.Append(CultureInfo.InvariantCulture,
                    $"{DateTimeOffset.FromUnixTimeMilliseconds(start + i * 1000L):yyyy-MM-dd'T'HH:mm:ss'Z'},{Models[i % Models.Length]},,{input},{output},{300 + (state >> 54)}.5,{cost},{(i % 50 == 0 ? "error" : "ok")},{Features[i % Features.Length]},{(state >> 20) % 5000:x16}\n");
                if (writer.Length > 60_000 || i == _records - 1)
                {
                    var bytes = Encoding.UTF8.GetBytes(writer.ToString());
                    Bytes += bytes.Length;
                    await stream.WriteAsync(bytes);
                    writer.Clear();
                }
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
