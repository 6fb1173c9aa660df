using System.Globalization;

namespace Orlog.Client;

/// <summary>A partition offset, or one of the special values <see cref="Beginning"/>, <see cref="End"/> and <see cref="Unset"/>.</summary>
public readonly record struct Offset(long Value)
{
    public const long BeginningValue = -2;
    public const long EndValue = -1;
    public const long UnsetValue = -1001;

    /// <summary>The log start: the earliest record still kept.</summary>
    public static Offset Beginning => new(BeginningValue);

    /// <summary>The log end: the offset the next produced record will get.</summary>
    public static Offset End => new(EndValue);

    /// <summary>No offset: not known yet, or not available (a produce with acks = 0).</summary>
    public static Offset Unset => new(UnsetValue);

    /// <summary>True for <see cref="Beginning"/>, <see cref="End"/> and <see cref="Unset"/>.</summary>
    public bool IsSpecial => Value < 0;

    public static implicit operator Offset(long value) => new(value);

    public static implicit operator long(Offset offset) => offset.Value;

    public static Offset FromInt64(long value) => new(value);

    public long ToInt64() => Value;

    public override string ToString() => Value switch
    {
        BeginningValue => "Beginning",
        EndValue => "End",
        UnsetValue => "Unset",
        _ => Value.ToString(CultureInfo.InvariantCulture),
    };
}
