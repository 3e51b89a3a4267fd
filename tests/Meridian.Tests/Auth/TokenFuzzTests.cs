using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Meridian.Server.Auth;

namespace Meridian.Tests.Auth;

/// <summary>Random strings and random JSON dressed up as JWT segments: always refused, never a crash.</summary>
public sealed class TokenFuzzTests
{
    private const int Seed = 20261121;

    private static readonly string[] HeaderKeys = ["alg", "typ", "kid", "crit", "jku", "x5u", "cty", "enc", "zip"];
    private static readonly string[] PayloadKeys = ["sub", "exp", "nbf", "iat", "iss", "aud", "jti", "email", "name", "permissions", "sid"];
    private static readonly string[] Algorithms = ["none", "None", "HS256", "HS512", "RS256", "ES256", "PS256", "", "hs256"];

    private static Gen<string> Text(int maxLength, string alphabet) =>
        Gen.Choose(0, maxLength).SelectMany(n => Gen.ArrayOf(Gen.Elements(alphabet.ToCharArray()), n)).Select(c => new string(c));

    private static readonly Gen<string> Printable = Text(80, string.Concat(Enumerable.Range(0x20, 0x5F).Select(c => (char)c)));

    private static readonly Gen<string> AnyChars =
        Text(60, "abcXYZ019.-_=+/ \t\r\n\0\"'\\{}[]:,éß中😀\u202E\uFFFF");

    private static Gen<JsonElement> JsonValue(int depth)
    {
        var scalars = Gen.OneOf(
            Gen.Choose(int.MinValue, int.MaxValue).Select(n => JsonSerializer.SerializeToElement(n)),
            Gen.Elements(1e300, -1.5, 0.0, 9_999_999_999_999.0, 1.0e-9).Select(d => JsonSerializer.SerializeToElement(d)),
            Gen.Elements(true, false).Select(b => JsonSerializer.SerializeToElement(b)),
            Gen.Constant(JsonSerializer.SerializeToElement<object?>(null)),
            Gen.OneOf(Printable, Gen.Elements(Algorithms)).Select(s => JsonSerializer.SerializeToElement(s)));
        return depth == 0
            ? scalars
            : Gen.Frequency(
                (4, scalars),
                (1, Gen.ArrayOf(JsonValue(depth - 1), 3).Select(a => JsonSerializer.SerializeToElement(a))),
                (1, JsonObject(PayloadKeys, depth - 1).Select(o => JsonSerializer.SerializeToElement(o))));
    }

    private static Gen<Dictionary<string, JsonElement>> JsonObject(string[] keys, int depth) =>
        Gen.SubListOf(keys).SelectMany(chosen =>
            Gen.ArrayOf(JsonValue(depth), chosen.Count).Select(values =>
                chosen.Zip(values).ToDictionary(p => p.First, p => p.Second)));

    /// <summary>A JSON document that is usually an object with JWT-ish keys, sometimes anything at all.</summary>
    private static Gen<string> JsonSegment(string[] keys) =>
        Gen.Frequency(
            (5, JsonObject(keys, 2).Select(o => JsonSerializer.Serialize(o))),
            (1, JsonValue(2).Select(v => v.GetRawText())),
            (1, Printable));

    private static readonly Gen<string> JwtShaped =
        from header in JsonSegment(HeaderKeys)
        from payload in JsonSegment(PayloadKeys)
        from signature in Gen.OneOf(Gen.Constant(""), Text(86, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"))
        from extra in Gen.Frequency((6, Gen.Constant("")), (1, Gen.Constant(".")), (1, Printable.Select(p => "." + p)))
        select AuthHarness.Base64Url(header) + "." + AuthHarness.Base64Url(payload) + "." + signature + extra;

    private static readonly Gen<string> Tokens = Gen.Frequency((1, Printable), (3, JwtShaped));

    [Fact]
    public async Task Random_tokens_on_a_protected_route_are_always_401_problems()
    {
        await using var server = await AuthHarness.StartAsync();
        var tokens = Gen.Sample(Tokens, 30, new Rnd(Seed), 300);

        foreach (var token in tokens)
        {
            var header = token.Trim();
            if (header.Length == 0)
            {
                continue;
            }

            var answer = await server.MeAsync(header);

            ((int)answer.Response.StatusCode).ShouldBe(401, token);
            answer.Response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            answer.Body.Text("error_code").ShouldBeOneOf("INVALID_TOKEN", "TOKEN_EXPIRED");
        }
    }

    [Fact]
    public async Task The_validator_never_throws_and_never_accepts_random_input()
    {
        await using var server = await AuthHarness.StartAsync();
        var validator = server.Service<TokenValidator>();

        var property = Prop.ForAll(
            Gen.Frequency((1, AnyChars), (1, Tokens)).ToArbitrary(),
            token =>
            {
                var result = Task.Run(() => validator.ValidateAsync(token)).GetAwaiter().GetResult();
                return !result.IsValid && result.ErrorCode is "INVALID_TOKEN" or "TOKEN_EXPIRED" && result.Status == 401;
            });

        property.Check(Config.QuickThrowOnFailure.WithQuietOnSuccess(true).WithMaxTest(500).WithReplay(Seed, Seed | 1));
    }

    [Fact]
    public async Task Random_tokens_sent_to_validate_are_answered_valid_false()
    {
        const string serviceKey = "service-key-for-tests-0123456789";
        await using var server = await AuthHarness.StartAsync(settings: new Dictionary<string, string?> { ["Auth:ServiceKey"] = serviceKey });
        var headers = new Dictionary<string, string> { ["X-Service-Key"] = serviceKey };

        foreach (var token in Gen.Sample(Tokens, 30, new Rnd(Seed + 1), 100))
        {
            var (response, body) = await server.PostAsync("/auth/validate", new { token }, headers: headers);

            ((int)response.StatusCode).ShouldBe(200, token);
            body.GetProperty("valid").GetBoolean().ShouldBeFalse(token);
        }
    }
}
