using System.Text.RegularExpressions;
using Meridian.Server.Errors;
using Meridian.Tests.Infrastructure;

namespace Meridian.Tests.Errors;

public sealed partial class ErrorCatalogueTests
{
    [Fact]
    public void The_documented_catalogue_is_the_one_the_server_uses()
    {
        var documented = File.ReadLines(RepositoryRoot.Path("docs", "errors.md"))
            .Select(line => Row().Match(line))
            .Where(m => m.Success)
            .Select(m => (Code: m.Groups[1].Value, Http: m.Groups[2].Value.Trim(), Socket: m.Groups[3].Value.Trim()))
            .ToList();
        var served = ErrorCodes.All
            .Select(c => (c.Code, Http: c.HttpStatus?.ToString() ?? "—", Socket: c.OnSocket ?? "—"))
            .ToList();

        documented.ShouldBe(served);
    }

    [Fact]
    public void Codes_are_unique_upper_snake_case_and_each_says_what_it_means()
    {
        ErrorCodes.All.Count.ShouldBeGreaterThan(40);
        ErrorCodes.All.Select(c => c.Code).ShouldBeUnique();
        ErrorCodes.All.ShouldAllBe(c => UpperSnake().IsMatch(c.Code) && c.Meaning.Length > 10 && (c.HttpStatus != null || c.OnSocket != null));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(413)]
    [InlineData(422)]
    [InlineData(429)]
    [InlineData(431)]
    public void A_status_without_a_specific_code_gets_the_catalogue_code_of_that_status(int status)
    {
        var code = ErrorCodes.ForStatus(status);

        code.HttpStatus.ShouldBe(status);
        ErrorCodes.All.ShouldContain(code);
    }

    [Fact]
    public void A_socket_only_code_is_never_an_HTTP_answer()
    {
        Should.Throw<InvalidOperationException>(() => Problems.Result(ErrorCodes.FormatError, "no"));
    }

    [GeneratedRegex(@"^\| `([A-Z_]+)` \| ([^|]+) \| ([^|]+) \|")]
    private static partial Regex Row();

    [GeneratedRegex("^[A-Z]+(_[A-Z]+)*$")]
    private static partial Regex UpperSnake();
}
