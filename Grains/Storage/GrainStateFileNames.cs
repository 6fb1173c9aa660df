using System.Security.Cryptography;
using System.Text;

namespace Orlog.Storage;

/// <summary>
/// Maps state names and grain ids to file names that are safe on every file system, distinct, and
/// readable: <c>&lt;root&gt;/&lt;state&gt;/&lt;grain type&gt;+&lt;grain key&gt;.state</c>.
/// </summary>
/// <remarks>
/// <para>
/// Escaping works on bytes (UTF-8 for the state name, the raw bytes of the grain type and key):
/// <c>a-z</c>, <c>0-9</c>, <c>-</c> and <c>_</c> stay as they are, as does <c>.</c> except first or
/// last (no <c>..</c>, no hidden files, no trailing dot Windows would drop); every other byte becomes
/// <c>%XX</c> with upper-case hex, capitals too (<c>Key</c> → <c>%4Bey</c>). The escaped form is
/// reversible, contains no <c>+</c>, and two different inputs never differ only in letter case, so
/// names stay distinct on case-insensitive file systems. The type and key are escaped separately:
/// <c>GrainId.ToString()</c> is ambiguous (<c>a/b</c> + <c>c</c> and <c>a</c> + <c>b/c</c> print alike).
/// </para>
/// <para>
/// A name longer than <see cref="MaxNameLength"/> keeps a readable prefix of its escaped form and ends
/// with <c>~</c> and the SHA-256 of the whole escaped form, in hex; <c>~</c> never occurs in an escaped
/// name, so a shortened name cannot equal a plain one. The state file holds the exact grain id, so the
/// mapping can always be reversed by reading the file.
/// </para>
/// </remarks>
internal static class GrainStateFileNames
{
    public const string Extension = ".state";

    /// <summary>Longest file or directory name this class produces, before <see cref="Extension"/>.</summary>
    public const int MaxNameLength = 200;

    private const int ReadablePrefixLength = 120;

    public static string DirectoryName(string stateName) => Shorten(Escape(Encoding.UTF8.GetBytes(stateName)));

    public static string FileName(GrainId grainId) =>
        Shorten(Escape(grainId.Type.AsSpan()) + "+" + Escape(grainId.Key.AsSpan())) + Extension;

    private static string Escape(ReadOnlySpan<byte> bytes)
    {
        var name = new StringBuilder(bytes.Length);
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            var plain = b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'_'
                || (b == (byte)'.' && i > 0 && i < bytes.Length - 1);
            if (plain)
            {
                name.Append((char)b);
            }
            else
            {
                name.Append('%').Append(Convert.ToHexString([b]));
            }
        }

        return name.ToString();
    }

    private static string Shorten(string escaped)
    {
        if (escaped.Length <= MaxNameLength)
        {
            return escaped;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(escaped)));
        return string.Concat(escaped.AsSpan(0, ReadablePrefixLength), "~", hash);
    }
}
