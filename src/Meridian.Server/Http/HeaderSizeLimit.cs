using Meridian.Server.Errors;

namespace Meridian.Server.Http;

/// <summary>Refuses request headers larger than <see cref="MaxBytes"/> with a complete 431 problem. Kestrel's own
/// limit is set above this one (<see cref="KestrelMaxBytes"/>), so the answer names the limit and its size; a request
/// above Kestrel's limit gets the generic 431 problem of <see cref="KestrelRejections"/>.
/// Runs before authentication, so an oversize token is never parsed.</summary>
internal sealed class HeaderSizeLimit(RequestDelegate next)
{
    /// <summary>Kestrel's default limit, kept as the effective one.</summary>
    public const int MaxBytes = 32 * 1024;

    /// <summary>Where Kestrel itself refuses; between the two, this middleware answers.</summary>
    public const int KestrelMaxBytes = 256 * 1024;

    public Task InvokeAsync(HttpContext context)
    {
        long total = 0;
        foreach (var (name, values) in context.Request.Headers)
        {
            total += name.Length + 4;
            foreach (var value in values)
            {
                total += value?.Length ?? 0;
            }
        }

        return total <= MaxBytes
            ? next(context)
            : Problems.Write(context, ErrorCodes.HeadersTooLarge,
                $"The request headers take {total} bytes; at most {MaxBytes} are accepted (Authorization included).");
    }
}
