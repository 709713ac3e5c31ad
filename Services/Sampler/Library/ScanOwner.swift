import Foundation

/// The sampler process that runs a scan, stored with the scan so that another process sharing the
/// database can tell a scan that is still being worked on from one whose process has gone.
///
/// Several samplers may share one database (replicas on one volume, or a restart while the old process
/// is still stopping). A process must not mark another's live scan as interrupted, and a scan whose
/// process died must not stay `running` for ever. The owner names the host (a container's own host name)
/// and the process id, and the owner writes a heartbeat while the scan runs. A running scan is abandoned
/// when
/// - it has no owner (stored before owners were recorded), or
/// - its owner is on this machine and is this very process (a restarted container gets the same pid as
///   its predecessor) or no longer exists, or
/// - its heartbeat is older than `staleAfter`, wherever its owner runs.
///
/// Samplers that share a database therefore need distinct host names, which containers have unless they
/// share the host's network namespace.
struct ScanOwner: Sendable, Equatable {
    /// Host name.
    var machine: String
    /// Process id on that machine.
    var pid: Int32

    /// Seconds between two heartbeats of a running scan.
    static let heartbeatInterval: TimeInterval = 5
    /// Age of the last heartbeat after which a scan counts as abandoned.
    static let staleAfter: TimeInterval = 30

    /// This process.
    static let current = ScanOwner(machine: machineIdentity(), pid: getpid())

    /// The stored form: `machine pid`.
    var stored: String { "\(machine) \(pid)" }

    /// Parses the stored form; nil for anything else.
    init?(stored: String) {
        guard let space = stored.lastIndex(of: " "), let pid = Int32(stored[stored.index(after: space)...]) else {
            return nil
        }
        self.init(machine: String(stored[..<space]), pid: pid)
    }

    init(machine: String, pid: Int32) {
        self.machine = machine
        self.pid = pid
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
        return owner.pid == current.pid || !processExists(owner.pid)
    }

    /// Whether a process with this id exists on this machine (`kill(pid, 0)`; a process we may not signal
    /// still exists).
    private static func processExists(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// The host name, spaces replaced (the stored form ends in a space and the pid).
    private static func machineIdentity() -> String {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count) == 0 else { return "unknown-host" }
        let host = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return host.isEmpty ? "unknown-host" : host.replacingOccurrences(of: " ", with: "_")
    }
}
