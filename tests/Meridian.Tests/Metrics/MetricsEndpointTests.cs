using System.Diagnostics.Metrics;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Metrics;

public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Counters_gauges_and_histograms_render_in_prometheus_text_format()
    {
        await using var server = await ServerHarness.StartAsync();
        var meter = server.Service<IMeterFactory>().Create("Meridian.Test");
        var frames = meter.CreateCounter<long>("meridian.test.frames", description: "Frames sent.");
        var open = meter.CreateUpDownCounter<int>("meridian.test.open_sockets");
        var latency = meter.CreateHistogram<double>("meridian.test.latency", unit: "s");
        var level = 7;
        meter.CreateObservableGauge("meridian.test.queue_depth", () => level);

        frames.Add(2, new KeyValuePair<string, object?>("type", "pong"));
        frames.Add(3, new KeyValuePair<string, object?>("type", "pong"));
        frames.Add(1, new KeyValuePair<string, object?>("type", "say \"hi\"\n"));
        open.Add(5);
        open.Add(-2);
        latency.Record(0.003);
        latency.Record(0.2);
        latency.Record(99);

        var text = await Scrape(server);

        text.ShouldContain("# TYPE meridian_test_frames_total counter\n# HELP meridian_test_frames_total Frames sent.\n");
        text.ShouldContain("meridian_test_frames_total{type=\"pong\"} 5\n");
        text.ShouldContain("meridian_test_frames_total{type=\"say \\\"hi\\\"\\n\"} 1\n");
        text.ShouldContain("# TYPE meridian_test_open_sockets gauge\n");
        text.ShouldContain("\nmeridian_test_open_sockets{} 3\n");
        text.ShouldContain("\nmeridian_test_queue_depth{} 7\n");
        text.ShouldContain("# TYPE meridian_test_latency_seconds histogram\n");
        text.ShouldContain("meridian_test_latency_seconds_bucket{le=\"0.0025\"} 0\n");
        text.ShouldContain("meridian_test_latency_seconds_bucket{le=\"0.005\"} 1\n");
        text.ShouldContain("meridian_test_latency_seconds_bucket{le=\"0.25\"} 2\n");
        text.ShouldContain("meridian_test_latency_seconds_bucket{le=\"60\"} 2\n");
        text.ShouldContain("meridian_test_latency_seconds_bucket{le=\"+Inf\"} 3\n");
        text.ShouldContain("meridian_test_latency_seconds_count{} 3\n");
        text.ShouldContain("meridian_test_latency_seconds_sum{} 99.203\n");

        level = 9;
        (await Scrape(server)).ShouldContain("\nmeridian_test_queue_depth{} 9\n");
    }

    [Fact]
    public async Task Meters_of_another_container_are_not_exported()
    {
        await using var server = await ServerHarness.StartAsync();
        using var theirs = new ServiceCollection().AddMetrics().BuildServiceProvider();
        theirs.GetRequiredService<IMeterFactory>().Create("Meridian.Test").CreateCounter<long>("meridian.other").Add(1);
        server.Service<IMeterFactory>().Create("Meridian.Test").CreateCounter<long>("meridian.mine").Add(1);

        var text = await Scrape(server);

        text.ShouldContain("meridian_mine_total{} 1\n");
        text.ShouldNotContain("meridian_other");
    }

    [Fact]
    public async Task Metrics_endpoint_reports_request_counts_and_latency_by_route_and_status()
    {
        await using var server = await ServerHarness.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            (await server.Http.GetAsync("/api/discovery/services", TestContext.Current.CancellationToken)).Dispose();
        }

        (await server.Http.GetAsync("/api/missing", TestContext.Current.CancellationToken)).Dispose();
        using var response = await server.Http.GetAsync("/metrics", TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        text.ShouldContain("# TYPE http_server_request_duration_seconds histogram");
        var discovery = text.Split('\n').Single(l =>
            l.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal)
            && l.Contains("http_route=\"/api/discovery/services\"", StringComparison.Ordinal)
            && l.Contains("http_response_status_code=\"200\"", StringComparison.Ordinal));
        discovery.ShouldEndWith(" 3");
        text.ShouldContain("http_response_status_code=\"404\"");
    }

    [Fact]
    public async Task Metrics_endpoint_answers_only_get_and_is_left_out_of_the_api_document()
    {
        await using var server = await ServerHarness.StartAsync();

        using var post = await server.Http.PostAsync("/metrics", null, TestContext.Current.CancellationToken);
        var document = await server.Http.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken);

        post.StatusCode.ShouldBe(System.Net.HttpStatusCode.MethodNotAllowed);
        post.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        document.ShouldNotContain("\"/metrics\"");
    }

    private static Task<string> Scrape(ServerHarness server) =>
        server.Http.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
}
