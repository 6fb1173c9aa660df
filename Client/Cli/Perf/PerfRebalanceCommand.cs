using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Orlog.Client;

namespace Orlog.Cli.Perf;

/// <summary>
/// <c>orlog perf rebalance TOPIC --members N</c>: N consumers of one new group subscribe one after
/// the other; reports how long after the last one subscribed every partition is held by exactly
/// one member with the load even.
/// </summary>
internal static class PerfRebalanceCommand
{
    public static Command Create()
    {
        var topic = new Argument<string>("topic") { Description = "The topic the group shares." };
        var members = new Option<int>("--members") { Description = "How many consumers join.", DefaultValueFactory = _ => 10 };
        var strategy = new Option<PartitionAssignmentStrategy>("--strategy") { Description = "CooperativeSticky, Range or RoundRobin.", DefaultValueFactory = _ => PartitionAssignmentStrategy.CooperativeSticky };
        var timeoutMs = new Option<int>("--timeout-ms") { Description = "Give up after this long.", DefaultValueFactory = _ => 60_000 };
        var command = new Command("rebalance", "Time a group's rebalance from its last join to an even assignment.") { topic, members, strategy, timeoutMs };
        command.SetAction(parse => CommonOptions.RunAsync(async () =>
        {
            var name = parse.GetValue(topic)!;
            var count = parse.GetValue(members);
            if (count < 1)
            {
                throw new ArgumentException("--members must be at least 1.");
            }

            var partitions = await CommonOptions.PartitionCountAsync(parse, name);
            var config = CommonOptions.Connect(parse, new ConsumerConfig
            {
                GroupId = $"perf-rebalance-{Guid.NewGuid():N}",
                PartitionAssignmentStrategy = parse.GetValue(strategy),
                AutoOffsetReset = AutoOffsetReset.Latest,
            });
            await using var client = new OrlogClient(config);
            await client.ConnectAsync();
            var group = new MemberThreads(count, config, client, name);
            var lastJoin = group.SubscribeAll();
            var deadline = TimeSpan.FromMilliseconds(parse.GetValue(timeoutMs));
            var balanced = group.WaitUntilBalanced(partitions, lastJoin, deadline);
            var elapsed = Stopwatch.GetElapsedTime(lastJoin);
            group.Dispose();
            Console.WriteLine("members, partitions, strategy, rebalance.ms.after.last.join, assignments.applied");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count}, {partitions}, {config.PartitionAssignmentStrategy}, {(balanced ? elapsed.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture) : "timeout")}, {group.Changes}"));
            return balanced ? 0 : 1;
        }));
        return command;
    }

    /// <summary>Consumers, each polling on its own thread, whose callbacks keep a shared view of who holds what.</summary>
    private sealed class MemberThreads : IDisposable
    {
        private readonly Lock _lock = new();
        private readonly HashSet<TopicPartition>[] _held;
        private readonly IConsumer<Ignore, Ignore>[] _consumers;
        private readonly Thread[] _threads;
        private readonly CancellationTokenSource _stop = new();
        private readonly string _topic;
        private int _changes;

        public MemberThreads(int count, ConsumerConfig config, OrlogClient client, string topic)
        {
            _topic = topic;
            _held = new HashSet<TopicPartition>[count];
            _consumers = new IConsumer<Ignore, Ignore>[count];
            _threads = new Thread[count];
            for (var i = 0; i < count; i++)
            {
                var held = _held[i] = [];
                _consumers[i] = new ConsumerBuilder<Ignore, Ignore>(config)
                    .SetClient(client)
                    .SetPartitionsAssignedHandler((_, added) => Change(() => held.UnionWith(added)))
                    .SetPartitionsRevokedHandler((_, revoked) => Change(() => held.ExceptWith(revoked.Select(r => r.TopicPartition))))
                    .SetPartitionsLostHandler((_, lost) => Change(() => held.ExceptWith(lost)))
                    .Build();
                var consumer = _consumers[i];
                _threads[i] = new Thread(() => Poll(consumer)) { IsBackground = true, Name = $"member-{i}" };
                _threads[i].Start();
            }
        }

        public int Changes => Volatile.Read(ref _changes);

        /// <summary>Subscribes every member in turn; returns the timestamp of the last subscription.</summary>
        public long SubscribeAll()
        {
            long last = 0;
            foreach (var consumer in _consumers)
            {
                last = Stopwatch.GetTimestamp();
                lock (consumer)
                {
                    consumer.Subscribe(_topic);
                }
            }

            return last;
        }

        public bool WaitUntilBalanced(int partitions, long since, TimeSpan deadline)
        {
            var each = partitions / _held.Length;
            while (Stopwatch.GetElapsedTime(since) < deadline)
            {
                lock (_lock)
                {
                    var total = 0;
                    var even = true;
                    foreach (var held in _held)
                    {
                        total += held.Count;
                        even &= held.Count == each || held.Count == each + 1;
                    }

                    if (even && total == partitions && _held.SelectMany(h => h).Distinct().Count() == partitions)
                    {
                        return true;
                    }
                }

                Thread.Sleep(1);
            }

            return false;
        }

        private void Change(Action change)
        {
            lock (_lock)
            {
                change();
            }

            Interlocked.Increment(ref _changes);
        }

        private void Poll(IConsumer<Ignore, Ignore> consumer)
        {
            while (!_stop.IsCancellationRequested)
            {
                lock (consumer)
                {
                    consumer.Consume(TimeSpan.FromMilliseconds(5));
                }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            foreach (var thread in _threads)
            {
                thread.Join();
            }

            foreach (var consumer in _consumers)
            {
                consumer.Dispose();
            }

            _stop.Dispose();
        }
    }
}
