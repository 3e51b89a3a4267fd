using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Meridian.Server.Http;

/// <summary>Makes the generated schemas say what Meridian writes (docs/http-api.md#4-the-openapi-document), so a
/// client generated from <c>/openapi/v1.json</c> reads the answers as they are.</summary>
public static class OpenApiSchemas
{
    public static void Configure(OpenApiOptions options) => options.AddSchemaTransformer((schema, context, _) =>
    {
        // Answers with several shapes (POST /auth/validate, GET /health) write no "$type": their fields tell them apart.
        if (schema.Discriminator?.PropertyName == "$type")
        {
            schema.Discriminator = null;
        }

        // Timestamps are written by UtcTimestampConverter, which the generator cannot see through: they are strings
        // (or null, where the property may be).
        if (schema.Format == "date-time" && schema.Type is null)
        {
            var nullable = context.JsonPropertyInfo?.PropertyType is { } type && Nullable.GetUnderlyingType(type) is not null;
            schema.Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
        }

        if (context.JsonTypeInfo.Type == typeof(ProblemDetails))
        {
            AddProblemFields(schema);
        }

        return Task.CompletedTask;
    });

    /// <summary>The members every problem carries besides RFC 9457's (docs/http-api.md#1-conventions); <c>errors</c>
    /// only on 422.</summary>
    private static void AddProblemFields(OpenApiSchema schema)
    {
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        schema.Properties["error_code"] = new OpenApiSchema { Type = JsonSchemaType.String };
        schema.Properties["request_id"] = new OpenApiSchema { Type = JsonSchemaType.String };
        schema.Properties["trace_id"] = new OpenApiSchema { Type = JsonSchemaType.String };
        schema.Properties["errors"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
        };
        schema.Required ??= new HashSet<string>();
        schema.Required.Add("error_code");
        schema.Required.Add("request_id");
    }
}
