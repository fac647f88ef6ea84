using System.Security.Cryptography;
using System.Text;

namespace Lims.Auth;

/// <summary>Making and hashing keys. Only the SHA-256 of a key is stored; the key itself is shown once.</summary>
public static class ApiKeySecrets
{
    public const string Prefix = "lims_";

    /// <summary>Keys longer than this are refused before hashing (no key Lims makes comes near it).</summary>
    public const int MaxLength = 512;

    /// <summary>A new key: 256 random bits, base64url, with a recognisable prefix.</summary>
    public static string NewKey() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>Hex SHA-256 of the key. Keys are high-entropy, so a fast hash without salt is enough.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Compares two hashes in constant time.</summary>
    public static bool HashesEqual(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));

    /// <summary>The part of a key safe to show again later, to tell keys apart.</summary>
    public static string Hint(string key) => key[..Math.Min(key.Length, Prefix.Length + 4)];

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
