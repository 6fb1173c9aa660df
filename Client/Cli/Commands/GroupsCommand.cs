using System.CommandLine;
using System.Globalization;
using Orlog.Client;
using Orlog.Groups;
using Spectre.Console;

namespace Orlog.Cli.Commands;

/// <summary><c>orlog groups list|describe|delete|reset-offsets</c>, as <c>kafka-consumer-groups</c>.</summary>
internal static class GroupsCommand
{
    /// <summary>What kafka-consumer-groups prints where a value is not known (no commit, no member).</summary>
    private const string Unknown = "-";

    private static readonly Argument<string> Group = new("group") { Description = "The consumer group id." };

    public static Command Create()
    {
        var groups = new Command("groups", "List, describe and delete consumer groups, and reset their offsets.");
        groups.Subcommands.Add(ListCommand());
        groups.Subcommands.Add(DescribeCommand());
        groups.Subcommands.Add(DeleteCommand());
        groups.Subcommands.Add(ResetOffsetsCommand());
        return groups;
    }

    private static Command ListCommand()
    {
        var command = new Command("list", "List the consumer groups.");
        command.SetAction(parse => CommonOptions.RunAsync(async () =>
        {
            await using var admin = CommonOptions.Admin(parse);
            foreach (var group in await admin.ListConsumerGroupsAsync())
            {
                Console.WriteLine(group);
            }

            return 0;
        }));
        return command;
    }

    private static Command DescribeCommand()
    {
        var command = new Command("describe", "Members, assignment, and per partition the committed offset, log end offset and lag.") { Group };
        command.SetAction(parse => CommonOptions.RunAsync(async () =>
        {
            await using var admin = CommonOptions.Admin(parse);
            var group = await admin.DescribeConsumerGroupAsync(parse.GetValue(Group)!);
            Console.WriteLine($"Group {group.GroupId}: state {group.State}, assignor {group.Assignor ?? Unknown}, generation {group.Generation.ToString(CultureInfo.InvariantCulture)}, {group.Members.Count.ToString(CultureInfo.InvariantCulture)} member(s).");
            CommonOptions.Write(DescribeTable(group));
            return 0;
        }));
        return command;
    }

    private static Command DeleteCommand()
    {
        var command = new Command("delete", "Delete a consumer group and its committed offsets (only without members).") { Group };
        command.SetAction(parse => CommonOptions.RunAsync(async () =>
        {
            await using var admin = CommonOptions.Admin(parse);
            await admin.DeleteConsumerGroupsAsync([parse.GetValue(Group)!]);
            Console.WriteLine($"Deleted consumer group {parse.GetValue(Group)}.");
            return 0;
        }));
        return command;
    }

    private static Command ResetOffsetsCommand()
    {
        var topic = new Option<string>("--topic") { Description = "The topic whose partitions to reset (all of them).", Required = true };
        var toEarliest = new Option<bool>("--to-earliest") { Description = "Reset to the log start." };
        var toLatest = new Option<bool>("--to-latest") { Description = "Reset to the log end." };
        var toDateTime = new Option<string?>("--to-datetime") { Description = "Reset to the first record at or after this time (ISO 8601, e.g. 2024-05-01T12:00:00Z; local time without a zone); the log end where there is none." };
        var shiftBy = new Option<long?>("--shift-by") { Description = "Move the committed offset by N (negative: back); from the log start where nothing is committed." };
        var toOffset = new Option<long?>("--to-offset") { Description = "Reset every partition to this offset." };
        var execute = new Option<bool>("--execute") { Description = "Apply the reset; without it, only print the plan (dry run)." };
        var command = new Command("reset-offsets", "Move a group's committed offsets (only without members); a dry run unless --execute.")
        {
            Group, topic, toEarliest, toLatest, toDateTime, shiftBy, toOffset, execute,
        };
        command.SetAction(parse => CommonOptions.RunAsync(async () =>
        {
            var spec = ResetSpec(parse.GetValue(toEarliest), parse.GetValue(toLatest), parse.GetValue(toDateTime), parse.GetValue(shiftBy), parse.GetValue(toOffset));
            var group = parse.GetValue(Group)!;
            var apply = parse.GetValue(execute);
            await using var admin = CommonOptions.Admin(parse);
            var offsets = await admin.ResetConsumerGroupOffsetsAsync(group, parse.GetValue(topic)!, spec, dryRun: !apply);
            var table = new Table().AddColumns("GROUP", "TOPIC", "PARTITION", "NEW-OFFSET");
            foreach (var offset in offsets)
            {
                table.AddRow(Markup.Escape(group), Markup.Escape(offset.Topic), Number(offset.Partition), Number(offset.Offset.Value));
            }

            CommonOptions.Write(table);
            Console.WriteLine(apply ? $"Reset the offsets of group {group}." : "Dry run: nothing changed. Add --execute to apply.");
            return 0;
        }));
        return command;
    }

    /// <summary>Exactly one of the reset options, as kafka-consumer-groups asks.</summary>
    private static OffsetResetSpec ResetSpec(bool toEarliest, bool toLatest, string? toDateTime, long? shiftBy, long? toOffset)
    {
        var given = (toEarliest ? 1 : 0) + (toLatest ? 1 : 0) + (toDateTime is null ? 0 : 1) + (shiftBy is null ? 0 : 1) + (toOffset is null ? 0 : 1);
        if (given != 1)
        {
            throw new ArgumentException("reset-offsets needs exactly one of --to-earliest, --to-latest, --to-datetime, --shift-by, --to-offset.");
        }

        if (toDateTime is not null)
        {
            return DateTimeOffset.TryParse(toDateTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var time)
                ? OffsetResetSpec.ToDateTime(time)
                : throw new ArgumentException($"--to-datetime takes an ISO 8601 time such as 2024-05-01T12:00:00Z; got '{toDateTime}'.");
        }

        if (toOffset is { } offset)
        {
            return offset >= 0 ? OffsetResetSpec.ToOffset(offset) : throw new ArgumentException($"--to-offset must not be negative; got {offset}.");
        }

        return shiftBy is { } n ? OffsetResetSpec.ShiftBy(n) : toEarliest ? OffsetResetSpec.ToEarliest() : OffsetResetSpec.ToLatest();
    }

    /// <summary>One row per partition (kafka-consumer-groups --describe), then one per member without partitions.</summary>
    private static Table DescribeTable(GroupDescription group)
    {
        var table = new Table().AddColumns("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "CLIENT-ID");
        var clients = group.Members.ToDictionary(m => m.MemberId, m => m.ClientId, StringComparer.Ordinal);
        var id = Markup.Escape(group.GroupId);
        foreach (var partition in group.Partitions)
        {
            var client = partition.MemberId is { } member && clients.TryGetValue(member, out var clientId) ? clientId : null;
            table.AddRow(
                id,
                Markup.Escape(partition.Partition.Topic),
                Number(partition.Partition.Partition),
                OrUnknown(partition.CommittedOffset),
                OrUnknown(partition.LogEndOffset),
                OrUnknown(partition.Lag),
                Markup.Escape(partition.MemberId ?? Unknown),
                Markup.Escape(client ?? Unknown));
        }

        foreach (var member in group.Members.Where(m => m.Assignment.Count == 0))
        {
            table.AddRow(id, Unknown, Unknown, Unknown, Unknown, Unknown, Markup.Escape(member.MemberId), Markup.Escape(member.ClientId));
        }

        return table;
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The group reports -1 for no committed offset, no log end (partition gone) and so no lag.</summary>
    private static string OrUnknown(long value) => value < 0 ? Unknown : Number(value);
}
