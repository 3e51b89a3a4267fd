using System.IO.Pipelines;
using System.Text;
using Meridian.Server.Pricing;
using Meridian.Server.Workloads;

namespace Meridian.Tests.Workloads;

/// <summary>Reading CSV and JSON Lines files into records, without a database: quoting, line numbers, every kind of
/// bad value, defaults from the price catalog, and bodies that arrive in arbitrary pieces.</summary>
public sealed class ImportParserTests
{
    private const string Header = "timestamp,model,provider,input_tokens,output_tokens,latency_ms,cost_usd,status,feature,prompt_hash";

    private static readonly PriceCatalog Catalog = PriceCatalogLoader.Load(new PricingOptions()).Catalog!;

    internal static async Task<(List<UsageRecord> Records, ParsedImport Parsed)> ParseAsync(
        string text, ImportFormat format = ImportFormat.Csv, bool skipInvalid = false, int chunk = 0)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Stream stream = chunk > 0 ? new TrickleStream(bytes, chunk) : new MemoryStream(bytes);
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: chunk > 0 ? 16 : 4096, minimumReadSize: chunk > 0 ? 1 : 1024));
        var parsed = await ImportParser.ParseAsync(reader, format, Catalog, skipInvalid, 100, TestContext.Current.CancellationToken);
        return (parsed.Records().ToList(), parsed);
    }

    private static IEnumerable<(long Line, string? Field)> Problems(ParsedImport parsed) => parsed.Errors.Listed.Select(e => (e.Line, e.Field));

    [Fact]
    public async Task Csv_fields_may_be_quoted_with_commas_escaped_quotes_and_line_breaks_inside()
    {
        var (records, parsed) = await ParseAsync(
            Header + "\n" +
            "2026-11-01T10:00:00Z,gpt-4o,openai,1200,300,812.5,0.0123,ok,\"search, advanced\",\"h\"\"1\"\n" +
            "2026-11-01T10:00:01Z,\"gpt-4o-mini\",openai,10,5,100,,ok,\"multi\nline\nfeature\",\n" +
            "2026-11-01T10:00:02Z,gpt-4o,openai,-5,1,1,0,ok,chat,\n");

        records.Count.ShouldBe(2);
        records[0].Feature.ShouldBe("search, advanced");
        records[0].PromptHash.ShouldBe("h\"1");
        records[0].CostUsd.ShouldBe(0.0123m);
        records[1].Model.ShouldBe("gpt-4o-mini");
        records[1].Feature.ShouldBe("multi\nline\nfeature");
        records[1].PromptHash.ShouldBeNull();
        Problems(parsed).ShouldBe([(6L, "input_tokens")], "the record after a field spanning lines 3 to 5 starts on line 6");
    }

    [Fact]
    public async Task Each_bad_value_is_reported_with_its_line_and_field_and_the_reason()
    {
        var (records, parsed) = await ParseAsync(
            Header + "\r\n" +
            "2026-11-01T10:00:00Z,gpt-4o,,100,50,200,,ok,chat,a\r\n" +                    // 2: fine
            "yesterday,gpt-4o,,100,50,200,,ok,chat,a\r\n" +                               // 3
            "2026-11-01T10:00:00Z,,openai,100,50,200,,ok,chat,a\r\n" +                   // 4
            "2026-11-01T10:00:00Z,gpt-4o,,1.5,50,200,,ok,chat,a\r\n" +                   // 5
            "2026-11-01T10:00:00Z,gpt-4o,,100,many,200,,ok,chat,a\r\n" +                 // 6
            "2026-11-01T10:00:00Z,gpt-4o,,100,50,-3,,ok,chat,a\r\n" +                    // 7
            "2026-11-01T10:00:00Z,gpt-4o,,100,50,200,-0.5,ok,chat,a\r\n" +               // 8
            "2026-11-01T10:00:00Z,gpt-4o,,100,50,200,,failed,chat,a\r\n" +               // 9
            "2026-11-01T10:00:00Z,gpt-4o,,100,50\r\n" +                                  // 10
            "2026-11-01T10:00:00Z,\"gpt-4o\"x,,100,50,200,,ok,chat,a\r\n" +              // 11
            "2026-11-01T10:00:00Z,mystery-model,,100,50,200,,ok,chat,a\r\n" +            // 12
            "2026-11-01T10:00:00Z,gpt-4o,,100,50,200,,ok,chat,a\r\n");                   // 13: fine

        Problems(parsed).ShouldBe(
        [
            (3L, "timestamp"), (4L, "model"), (5L, "input_tokens"), (6L, "output_tokens"), (7L, "latency_ms"), (8L, "cost_usd"),
            (9L, "status"), (10L, null), (11L, null), (12L, "cost_usd"),
        ]);
        parsed.Errors.Listed.Single(e => e.Line == 9).Reason.ShouldBe("must be 'ok' or 'error'");
        parsed.Errors.Listed.Single(e => e.Line == 10).Reason.ShouldContain("has 5 fields where the header has 10");
        parsed.Errors.Listed.Single(e => e.Line == 12).Reason.ShouldContain("'mystery-model' is not in the price catalog");
        parsed.Rejected.ShouldBe(10);
        records.Count.ShouldBe(1, "after the first bad record nothing more is kept, since nothing will be stored");
    }

    [Fact]
    public async Task Skipping_invalid_records_keeps_every_valid_one_and_still_reports_the_rest()
    {
        var (records, parsed) = await ParseAsync(
            Header + "\n" +
            "2026-11-01T10:00:00Z,gpt-4o,,100,50,200,,ok,chat,a\n" +
            "2026-11-01T10:00:00Z,gpt-4o,,100,50,200,,maybe,chat,a\n" +
            "2026-11-01T10:00:03Z,gpt-4o,,7,8,9,,error,chat,b\n", skipInvalid: true);

        records.Select(r => r.InputTokens).ShouldBe([100L, 7L]);
        records[1].IsError.ShouldBeTrue();
        parsed.Rejected.ShouldBe(1);
        Problems(parsed).ShouldBe([(3L, "status")]);
    }

    [Fact]
    public async Task Absent_cost_provider_and_feature_come_from_the_catalog_and_defaults()
    {
        var (records, _) = await ParseAsync(
            "Status, Model ,timestamp,input_tokens,output_tokens,latency_ms,cost_usd,unused column\n" +
            "OK,claude-sonnet-4-5-20250929,2026-11-01T10:00:00Z,1000,500,900,,x\n" +
            "ok,my-fine-tune,2026-11-01T10:00:00Z,1000,500,900,0.42,y\n");

        var sonnet = Catalog.Find("claude-sonnet-4-5")!;
        records[0].CostUsd.ShouldBe(decimal.Round(sonnet.Cost(1000, 500), 10));
        records[0].Provider.ShouldBe("anthropic");
        records[0].Feature.ShouldBe("default");
        records[1].CostUsd.ShouldBe(0.42m);
        records[1].Provider.ShouldBe("unknown");
    }

    [Theory]
    [InlineData("2026-11-01T10:00:00Z", "2026-11-01T10:00:00+00:00")]
    [InlineData("2026-11-01T10:00:00.123Z", "2026-11-01T10:00:00.123+00:00")]
    [InlineData("2026-11-01T12:00:00+02:00", "2026-11-01T10:00:00+00:00")]
    [InlineData("2026-11-01T10:00:00", "2026-11-01T10:00:00+00:00")]
    [InlineData("2026-11-01 10:00:00", "2026-11-01T10:00:00+00:00")]
    [InlineData("2026-11-01T10:00Z", "2026-11-01T10:00:00+00:00")]
    [InlineData("2026-11-01T05:30:00.5-04:30", "2026-11-01T10:00:00.5+00:00")]
    [InlineData("2026-11-01T12:00:00+0200", "2026-11-01T10:00:00+00:00")]
    [InlineData("2026-11-01T12:00:00.1234567+02", "2026-11-01T10:00:00.123+00:00")]
    [InlineData("2024-02-29t10:00:00z", "2024-02-29T10:00:00+00:00")]
    [InlineData("2026-11-01", "2026-11-01T00:00:00+00:00")]
    public async Task Timestamps_are_iso_8601_and_without_an_offset_taken_as_utc(string text, string expected)
    {
        var (records, parsed) = await ParseAsync($"{Header}\n{text},gpt-4o,,1,1,1,,ok,f,\n");

        parsed.Errors.Count.ShouldBe(0);
        records.Single().Timestamp.ShouldBe(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("11/01/2026 10:00")]
    [InlineData("1762000000")]
    [InlineData("2026-13-01T00:00:00Z")]
    [InlineData("2026-02-29T00:00:00Z")]
    [InlineData("2026-11-01T24:00:00Z")]
    [InlineData("2026-11-01T10:00:00.Z")]
    [InlineData("2026-11-01T10:00:00+2")]
    [InlineData("2026-11-01T10:00:00 UTC")]
    [InlineData("2026-11-01T10")]
    public async Task Other_date_shapes_are_refused(string text)
    {
        var (_, parsed) = await ParseAsync($"{Header}\n{text},gpt-4o,,1,1,1,,ok,f,\n");

        Problems(parsed).ShouldBe([(2L, "timestamp")]);
    }

    [Fact]
    public async Task A_header_without_a_required_column_ends_the_import_at_once()
    {
        var (records, parsed) = await ParseAsync("timestamp,model,input_tokens,output_tokens,status\n2026-11-01,gpt-4o,1,1,ok\n");

        parsed.Fatal.ShouldNotBeNull().ShouldContain("latency_ms");
        Problems(parsed).ShouldBe([(1L, "latency_ms")]);
        records.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_empty_file_or_a_header_naming_a_field_twice_is_refused()
    {
        (await ParseAsync("")).Parsed.Fatal.ShouldNotBeNull().ShouldContain("empty");
        (await ParseAsync("\n\n  \n")).Parsed.Fatal.ShouldNotBeNull().ShouldContain("empty");
        (await ParseAsync(Header + ",MODEL\n")).Parsed.Fatal.ShouldNotBeNull().ShouldContain("model");
    }

    [Fact]
    public async Task A_byte_order_mark_and_blank_lines_are_ignored_and_a_last_line_needs_no_line_break()
    {
        var (records, parsed) = await ParseAsync("\uFEFF" + Header + "\n\n2026-11-01,gpt-4o,,1,1,1,,ok,f,\n   \n2026-11-02,gpt-4o,,2,2,2,,ok,f,");

        parsed.Errors.Count.ShouldBe(0);
        records.Select(r => r.InputTokens).ShouldBe([1L, 2L]);
    }

    [Fact]
    public async Task An_unclosed_quote_that_runs_past_the_record_limit_ends_the_import_naming_its_line()
    {
        var text = Header + "\n2026-11-01,gpt-4o,,1,1,1,,ok,f,\n2026-11-01,\"gpt-4o,,1,1,1,,ok,f,\n" +
            string.Concat(Enumerable.Repeat("2026-11-01,gpt-4o,,1,1,1,,ok,f,x\n", 40_000));

        var (_, parsed) = await ParseAsync(text);

        parsed.Fatal.ShouldNotBeNull().ShouldContain("Line 3");
        Problems(parsed).ShouldBe([(3L, null)]);
    }

    [Fact]
    public async Task Json_lines_take_strings_or_numbers_ignore_other_properties_and_report_bad_lines()
    {
        var (records, parsed) = await ParseAsync(
            """
            {"timestamp":"2026-11-01T10:00:00Z","model":"gpt-4o-mini","input_tokens":1000,"output_tokens":"200","latency_ms":450.5,"status":"ok","feature":"faq","prompt_hash":"p1","extra":{"nested":[1,2,{"a":null}]}}

            {"timestamp":"2026-11-01T10:00:01Z","model":"gpt-4o","input_tokens":10,"output_tokens":5,"latency_ms":1,"status":"error","cost_usd":null,"prompt_hash":null}
            {"timestamp":"2026-11-01T10:00:02Z","model":"gpt-4o",
            ["not","an","object"]
            {"timestamp":"2026-11-01T10:00:03Z","model":"gpt-4o","input_tokens":true,"output_tokens":5,"latency_ms":1,"status":"ok"}
            {"\u0074imestamp":"2026-11-01T10:00:04Z","model":"gpt-4o","input_tokens":1,"output_tokens":1,"latency_ms":1,"status":"ok"} trailing
            {"Timestamp":"2026-11-01T10:00:05Z","MODEL":"gpt-4o","input_tokens":1,"output_tokens":1,"latency_ms":1,"status":"ok","provider":"azure"}
            """, ImportFormat.Jsonl, skipInvalid: true);

        records.Count.ShouldBe(3);
        records[0].OutputTokens.ShouldBe(200);
        records[0].CostUsd.ShouldBe(Catalog.Find("gpt-4o-mini")!.Cost(1000, 200));
        records[0].Feature.ShouldBe("faq");
        records[1].IsError.ShouldBeTrue();
        records[1].PromptHash.ShouldBeNull();
        records[1].Feature.ShouldBe("default");
        records[2].Provider.ShouldBe("azure");
        Problems(parsed).ShouldBe([(4L, null), (5L, null), (6L, "input_tokens"), (7L, null)]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(64)]
    public async Task A_body_that_arrives_in_small_pieces_reads_exactly_like_one_that_arrives_whole(int chunk)
    {
        var text = Header + "\n" +
            "2026-11-01T10:00:00Z,gpt-4o,openai,1200,300,812.5,0.0123,ok,\"a, \"\"b\"\"\nc\",h1\r\n" +
            "\uFEFF-not-a-bom-here,gpt-4o,,1,1,1,,ok,f,\n" +
            "2026-11-01T10:00:01Z,claude-haiku-4-5,,10,5,100,,error,f,\n";

        var whole = await ParseAsync(text);
        var pieces = await ParseAsync(text, chunk: chunk);

        pieces.Records.ShouldBe(whole.Records);
        Problems(pieces.Parsed).ShouldBe(Problems(whole.Parsed));
        whole.Records.Count.ShouldBe(1);
        Problems(whole.Parsed).ShouldBe([(4L, "timestamp")]);
    }

    [Fact]
    public async Task Large_files_pass_through_the_spool_file_in_order()
    {
        var text = new StringBuilder(Header + "\n");
        for (var i = 0; i < 30_000; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"2026-11-01T10:00:00Z,gpt-4o,,{i},1,1,,ok,feature-{i % 7},hash-{i}\n");
        }

        var (records, parsed) = await ParseAsync(text.ToString());

        parsed.Errors.Count.ShouldBe(0);
        records.Count.ShouldBe(30_000);
        records.Select(r => r.InputTokens).ShouldBe(Enumerable.Range(0, 30_000).Select(i => (long)i));
        records[29_999].PromptHash.ShouldBe("hash-29999");
        records.Select(r => r.Feature).Distinct().Count().ShouldBe(7);
    }

    /// <summary>A stream that hands out at most <c>chunk</c> bytes per read, so records straddle every boundary.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            base.ReadAsync(buffer, offset, Math.Min(count, chunk), cancellationToken);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
