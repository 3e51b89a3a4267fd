using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Meridian.Server.Http;

/// <summary>Reads a <see cref="JsonElement"/> (a request body bound as one) and refuses it when some string in it
/// cannot be read (bytes that are not UTF-8, or a lone surrogate escape: <see cref="JsonFields.HasUnreadableText"/>):
/// the body is then a 400 like any malformed JSON, instead of a fault wherever the string is read later.</summary>
public sealed class ReadableJsonElementConverter : JsonConverter<JsonElement>
{
    public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var element = JsonElement.ParseValue(ref reader);
        return JsonFields.HasUnreadableText(JsonMarshal.GetRawUtf8Value(element))
            ? throw new JsonException("A string cannot be read: it holds bytes that are not UTF-8, or a \\u escape that names half of a surrogate pair alone.")
            : element;
    }

    public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options) => value.WriteTo(writer);
}
