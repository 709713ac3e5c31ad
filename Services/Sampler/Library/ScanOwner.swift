import Foundation

/// The sampler process that runs a scan, stored with the scan so that another process sharing the
/// database can tell a scan that is still being worked on from one whose process has gone.
///
/// Several samplers may share one database (replicas on one volume, or a restart while the old process
/// is still stopping). A process must not mark another's live scan as interrupted, and a scan whose
/// process died must not stay `running` for ever. The owner names the host (a container's own host name),
/// the process id and the process's start time (in clock ticks since boot, from `/proc`), so a reused pid
/// is told apart; the owner writes a heartbeat while the scan runs. A running scan is abandoned when
/// - it has no owner (stored before owners were recorded), or its heartbeat is older than `staleAfter`,
///   wherever its owner runs;
/// - its owner is on this host and is this very process (which is not running it), or a process that has
///   exited (a zombie counts as exited) or whose pid now belongs to another process;
/// - its owner is on this host with this process's pid but another start time — a predecessor in a
///   restarted container (which gets pid 1 again) — and has written no heartbeat since this process
///   started, though two heartbeat intervals have passed since.
///
/// Samplers that share a database therefore need distinct host names, which containers have unless they
/// share the host's network namespace.
struct ScanOwner: Sendable, Equatable {
    /// Host name.
    var machine: String
    /// Process id on that host.
    var pid: Int32
    /// The process's start time in clock ticks since boot; 0 where `/proc` is not available.
    var started: UInt64

    /// Seconds between two heartbeats of a running scan.
    static let heartbeatInterval: TimeInterval = 5
    /// Age of the last heartbeat after which a scan counts as abandoned.
    static let staleAfter: TimeInterval = 30

    /// This process.
    static let current = ScanOwner(
        machine: machineIdentity(), pid: getpid(), started: startTime(of: getpid()) ?? 0)
    /// When this process started: its start time from `/proc` against the system's uptime, or, without
    /// `/proc`, the first time this is read (the service reads it at start).
    static let currentSince: Date = {
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        guard current.started > 0, ticksPerSecond > 0,
            let uptimeText = try? String(contentsOfFile: "/proc/uptime", encoding: .utf8),
            let uptime = uptimeText.split(separator: " ").first.flatMap({ Double($0) })
        else { return Date() }
        return Date().addingTimeInterval(-(uptime - Double(current.started) / ticksPerSecond))
    }()

    /// The stored form: `machine pid started`.
    var stored: String { "\(machine) \(pid) \(started)" }

    /// Parses the stored form; nil for anything else.
    init?(stored: String) {
        let parts = stored.split(separator: " ")
        guard parts.count >= 3, let pid = Int32(parts[parts.count - 2]), let started = UInt64(parts[parts.count - 1])
        else { return nil }
        self.init(machine: parts.dropLast(2).joined(separator: " "), pid: pid, started: started)
    }

    init(machine: String, pid: Int32, started: UInt64) {
        self.machine = machine
        self.pid = pid
        self.started = started
    }

    /// Whether a running scan that this process is not itself working on has lost its process.
    /// - Parameters:
    ///   - owner: the stored owner, nil when none was recorded or it cannot be read.
    ///   - heartbeat: the last heartbeat, nil when none was recorded.
    ///   - now: the current time.
    static func isAbandoned(owner: ScanOwner?, heartbeat: Date?, now: Date = Date()) -> Bool {
        guard let owner, let heartbeat else { return true }
        if now.timeIntervalSince(heartbeat) > staleAfter { return true }
        guard owner.machine == current.machine else { return false }
        if owner == current { return true }
        if owner.pid == current.pid {
            let since = currentSince
            return heartbeat < since && now.timeIntervalSince(since) >= 2 * heartbeatInterval
        }
        guard let started = startTime(of: owner.pid) else { return !processExists(owner.pid) }
        return started == 0 || (owner.started != 0 && started != owner.started)
    }

    /// Whether a process with this id exists on this host (`kill(pid, 0)`; a process we may not signal
    /// still exists).
    private static func processExists(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// A live process's start time in clock ticks since boot (field 22 of `/proc/<pid>/stat`), or nil when
    /// it cannot be read (no such process, or no `/proc`); 0 for a process that has exited but not been
    /// reaped yet (a zombie), which runs no scan any more.
    static func startTime(of pid: Int32) -> UInt64? {
        guard pid > 0, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let afterName = stat.lastIndex(of: ")")
        else { return nil }
        // After the parenthesised name: field 3 (state) onwards, so the start time is the 20th.
        let fields = stat[stat.index(after: afterName)...].split(separator: " ")
        guard fields.count > 19, let started = UInt64(fields[19]) else { return nil }
        return fields[0] == "Z" || fields[0] == "X" ? 0 : started
    }

    /// The host name, spaces replaced (the stored form is split at spaces).
    private static func machineIdentity() -> String {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count) == 0 else { return "unknown-host" }
        let host = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return host.isEmpty ? "unknown-host" : host.replacingOccurrences(of: " ", with: "_")
    }
}
