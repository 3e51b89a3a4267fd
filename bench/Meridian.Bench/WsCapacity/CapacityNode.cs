namespace Meridian.Bench.WsCapacity;

/// <summary>One server process of the run, its share of the sockets and what was measured of it.</summary>
internal sealed class CapacityNode(PublishedServer server)
{
    public PublishedServer Server { get; } = server;

    public long FileLimit { get; } = ProcessLimits.FileLimitOf(server.Pid);

    public int FilesAtStart { get; } = ProcessLimits.OpenFiles(server.Pid);

    public int Budget { get; set; }

    /// <summary>Its sockets are [First, First + Count) of the run's socket indices.</summary>
    public int First { get; set; }

    public int Count { get; set; }

    public long RssBefore { get; set; }

    public long RssAfter { get; set; }

    public long RssPeak { get; set; }

    public int Held { get; set; }

    /// <summary>Reads the node's RSS now and keeps the peak.</summary>
    public long SampleRss()
    {
        var rss = ProcessLimits.Rss(Server.Pid);
        RssPeak = Math.Max(RssPeak, rss);
        return rss;
    }
}
