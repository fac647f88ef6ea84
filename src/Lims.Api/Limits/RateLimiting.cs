using System.Globalization;
using System.Threading.RateLimiting;
using Lims.Api;
using Lims.Auth;
using Microsoft.Extensions.Options;

namespace Lims.Limits;

/// <summary>
/// A token bucket per API key name (per client address for requests without a key), from <see cref="RateLimitOptions"/>.
/// Open paths (health, $metadata, Swagger, web pages) are not limited. Rejections answer 429 with Retry-After.
/// </summary>
public static class RateLimiting
{
    public static IServiceCollection AddLimsRateLimiting(this IServiceCollection services) => services.AddRateLimiter(limiter =>
    {
        limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            var options = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
            if (!options.Enabled || context.RequestServices.GetRequiredService<OpenPaths>().IsOpen(context.Request))
            {
                return RateLimitPartition.GetNoLimiter("unlimited");
            }
            var partition = context.User.Identity is { IsAuthenticated: true, Name: { } name }
                ? "key:" + name
                : "address:" + context.Connection.RemoteIpAddress;
            return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(1, options.Burst),
                TokensPerPeriod = Math.Max(1, options.PermitsPerPeriod),
                ReplenishmentPeriod = TimeSpan.FromSeconds(Math.Max(0.001, options.PeriodSeconds)),
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });
        limiter.OnRejected = async (rejected, ct) =>
        {
            var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
            var response = rejected.HttpContext.Response;
            response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            await ODataErrorWriter.WriteAsync(response, StatusCodes.Status429TooManyRequests, "TooManyRequests",
                $"Too many requests for this key; retry after {retryAfter} s (RateLimit settings).", []);
        };
    });
}
