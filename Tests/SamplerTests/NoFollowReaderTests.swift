import Foundation
import Testing

@testable import SamplerService

@Suite("Reading without following links")
struct NoFollowReaderTests {
    typealias Support = SamplerTestSupport

    /// A folder with `inside/photo.jpg` (5 bytes) and `outside/secret.txt`, removed after `body`.
    private func withFolder(_ body: (URL) throws -> Void) throws {
        let folder = try Support.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let manager = FileManager.default
        try manager.createDirectory(at: folder.appendingPathComponent("inside"), withIntermediateDirectories: true)
        try manager.createDirectory(at: folder.appendingPathComponent("outside"), withIntermediateDirectories: true)
        try Data("jpeg!".utf8).write(to: folder.appendingPathComponent("inside/photo.jpg"))
        try Data("secret".utf8).write(to: folder.appendingPathComponent("outside/secret.txt"))
        try body(URL(fileURLWithPath: PathGuard.canonicalPath(folder.path)!))
    }

    @Test func readsARegularFileWithinItsLimit() throws {
        try withFolder { folder in
            let path = folder.path + "/inside/photo.jpg"
            #expect(NoFollowReader.read(canonicalPath: path, maxBytes: 5) == .bytes(Array("jpeg!".utf8)))
            #expect(NoFollowReader.read(canonicalPath: path, maxBytes: 4) == .tooLarge(5))
            #expect(NoFollowReader.read(canonicalPath: folder.path + "/inside/none.jpg", maxBytes: 9) == .unreadable)
            #expect(NoFollowReader.read(canonicalPath: folder.path + "/inside", maxBytes: 9) == .unreadable)
            #expect(NoFollowReader.read(canonicalPath: "inside/photo.jpg", maxBytes: 9) == .unreadable)
        }
    }

    @Test func aFileWhoseSizeDisagreesWithWhatIsReadIsChanging() throws {
        // A file still being written shows it the same way: /proc files say size 0 but hold text.
        let path = "/proc/\(getpid())/status"
        try #require(FileManager.default.fileExists(atPath: path))
        #expect(NoFollowReader.read(canonicalPath: path, maxBytes: 1 << 20) == .changing)
    }

    @Test func refusesALinkAsTheFileOrAsAnyFolderOnTheWay() throws {
        try withFolder { folder in
            let manager = FileManager.default
            try manager.createSymbolicLink(
                atPath: folder.path + "/inside/link.jpg", withDestinationPath: folder.path + "/outside/secret.txt")
            try manager.createSymbolicLink(
                atPath: folder.path + "/inside/sub", withDestinationPath: folder.path + "/outside")
            for path in ["/inside/link.jpg", "/inside/sub/secret.txt"] {
                #expect(NoFollowReader.read(canonicalPath: folder.path + path, maxBytes: 99) == .unreadable)
            }
        }
    }

    @Test func refusesAFIFOWithoutWaitingForAWriter() throws {
        try withFolder { folder in
            let path = folder.path + "/inside/pipe.jpg"
            #expect(mkfifo(path, 0o600) == 0)
            #expect(NoFollowReader.read(canonicalPath: path, maxBytes: 99) == .unreadable)
        }
    }

    @Test func aLinkSwappedInAfterTheListingIsNotRead() throws {
        try withFolder { folder in
            let photo = folder.path + "/inside/photo.jpg"
            let secret = folder.path + "/outside/secret.txt"
            let scan = try DatasetScanner().scan(directory: folder.appendingPathComponent("inside")) { done, _ in
                // Between the listing and the first read: the listed file becomes a link out of the dataset.
                guard done == 0 else { return }
                try? FileManager.default.removeItem(atPath: photo)
                try? FileManager.default.createSymbolicLink(atPath: photo, withDestinationPath: secret)
            }
            #expect(scan.images.isEmpty)
            #expect(scan.notes == ["photo.jpg: skipped, unreadable"])
        }
    }
}
