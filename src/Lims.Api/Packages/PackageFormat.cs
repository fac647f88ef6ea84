namespace Lims.Packages;

/// <summary>The two archive formats a package comes in: tar.gz (the default) or zip.</summary>
public enum PackageFormat { TarGz, Zip }

public static class PackageFormats
{
    public const string TarGzContentType = "application/gzip";
    public const string ZipContentType = "application/zip";

    public static string ContentType(PackageFormat format) => format == PackageFormat.Zip ? ZipContentType : TarGzContentType;

    public static string Extension(PackageFormat format) => format == PackageFormat.Zip ? ".zip" : ".tar.gz";

    public static string Name(PackageFormat format) => format == PackageFormat.Zip ? "zip" : "tar.gz";

    /// <summary>The format a request asks for: <c>?format=zip|tar.gz</c> first, then the Accept header; tar.gz otherwise.</summary>
    public static PackageFormat Choose(string? query, string? accept) => query?.ToLowerInvariant() switch
    {
        "zip" => PackageFormat.Zip,
        "tar.gz" or "tgz" or "gzip" => PackageFormat.TarGz,
        null or "" => accept?.Contains(ZipContentType, StringComparison.OrdinalIgnoreCase) == true &&
                      accept?.Contains(TarGzContentType, StringComparison.OrdinalIgnoreCase) != true ? PackageFormat.Zip : PackageFormat.TarGz,
        _ => throw Errors.ApiException.BadRequest($"format '{query}' is not a package format; use tar.gz or zip."),
    };

    /// <summary>The format of an archive from its first bytes (gzip: 1f 8b, zip: PK), or null.</summary>
    public static PackageFormat? Detect(ReadOnlySpan<byte> head) =>
        head.Length >= 2 && head[0] == 0x1f && head[1] == 0x8b ? PackageFormat.TarGz
        : head.Length >= 2 && head[0] == (byte)'P' && head[1] == (byte)'K' ? PackageFormat.Zip
        : null;
}
