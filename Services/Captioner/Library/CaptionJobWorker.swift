import Foundation

/// One background thread that runs queued jobs in order.
final class CaptionJobWorker: @unchecked Sendable {
    // @unchecked: `queue`, `stopping` and `running` are only touched while `condition` is locked, and
    // `run` is immutable.
    private let condition = NSCondition()
    private var queue: [String] = []
    private var stopping = false
    private var running = false
    private let run: @Sendable (_ jobID: String, _ shouldStop: @Sendable () -> Bool) -> Void

    /// Creates a worker that hands each job id to `run`, which should return early when `shouldStop()`.
    init(run: @escaping @Sendable (_ jobID: String, _ shouldStop: @Sendable () -> Bool) -> Void) {
        self.run = run
    }

    /// Starts the thread; later calls do nothing.
    func start() {
        condition.withLock {
            guard !running else {
                return
            }
            running = true
            stopping = false
            let thread = Thread { [self] in loop() }
            thread.name = "caption-jobs"
            thread.start()
        }
    }

    /// Queues a job to run after those already queued.
    func enqueue(_ jobID: String) {
        condition.withLock {
            if !queue.contains(jobID) {
                queue.append(jobID)
            }
            condition.signal()
        }
    }

    /// Whether a stop was asked for.
    var isStopping: Bool {
        condition.withLock { stopping }
    }

    /// Asks the current job to pause after its current image and waits until the thread has ended. Jobs
    /// left in the queue stay queued in the database and resume at the next start.
    func stop() {
        condition.withLock {
            stopping = true
            condition.broadcast()
            while running {
                condition.wait()
            }
        }
    }

    private func loop() {
        while let jobID = nextJob() {
            run(jobID) { [self] in isStopping }
        }
        condition.withLock {
            running = false
            queue.removeAll()
            condition.broadcast()
        }
    }

    /// The next job id, waiting for one; nil once stopping.
    private func nextJob() -> String? {
        condition.withLock {
            while queue.isEmpty && !stopping {
                condition.wait()
            }
            return stopping ? nil : queue.removeFirst()
        }
    }
}
