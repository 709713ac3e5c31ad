import Foundation
import Shared
import Testing

@testable import ImgrecCommands

/// `imgrec eval` over small files in a temporary folder, and the file checks behind its messages.
struct EvalCommandTests {
    /// A fresh folder, removed when the test ends.
    final class Folder {
        let path: String

        init() throws {
            let name = "imgrec-eval-\(UUID().uuidString)"
            path = FileManager.default.temporaryDirectory.appendingPathComponent(name).path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        }

        deinit { try? FileManager.default.removeItem(atPath: path) }

        /// Writes `text` to `name` in the folder and returns its path.
        func file(_ name: String, _ text: String) throws -> String {
            try Data(text.utf8).write(to: URL(fileURLWithPath: "\(path)/\(name)"))
            return "\(path)/\(name)"
        }

        /// The names in the folder.
        func names() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        }
    }

    static let captions = """
        file,caption
        a.jpg,dry beach grass on a sand dune
        b.jpg,"a red car in the city, at night"
        """

    static let queries = """
        query,relevant,split
        red car,b.jpg,"writer ""b"", day 2"
        sand dune,a.jpg,dev
        zebra,a.jpg,dev
        """

    func eval(_ arguments: [String]) throws -> Int32 {
        try EvalCommand.run(CommandLineOptions(arguments: arguments, environment: [:]))
    }

    func message(_ body: () throws -> Void) throws -> String {
        try #require(throws: ConfigurationError.self) { try body() }.message
    }

    @Test func aRunReplacesTheRanksFileWithQuotedSplits() throws {
        let folder = try Folder()
        let queries = try folder.file("queries.csv", Self.queries)
        let captions = try folder.file("captions.csv", Self.captions)
        let ranks = try folder.file("ranks.csv", "old ranks\n")
        #expect(chmod(ranks, 0o640) == 0)
        let status = try eval([
            queries, "--model", "\(folder.path)/eval.imgrec", "--build-from", captions, "--methods", "tfidf",
            "--model-dir", "\(folder.path)/no-models", "--ranks", ranks,
        ])

        #expect(status == 0)
        let written = try String(contentsOfFile: ranks, encoding: .utf8)
        #expect(
            written
                == """
                query,split,tfidf
                "red car","writer ""b"", day 2",1
                "sand dune","dev",1
                "zebra","dev",

                """)
        let mode = try FileManager.default.attributesOfItem(atPath: ranks)[.posixPermissions] as? Int
        #expect(mode == 0o640)
        #expect(try folder.names() == ["captions.csv", "eval.imgrec", "queries.csv", "ranks.csv"])
    }

    @Test func aFailedRunLeavesAnOldRanksFileWhole() throws {
        let folder = try Folder()
        let queries = try folder.file("queries.csv", Self.queries)
        let ranks = try folder.file("ranks.csv", "old ranks\n")
        #expect(throws: (any Error).self) {
            try eval([queries, "--model", "\(folder.path)/missing.imgrec", "--ranks", ranks])
        }
        #expect(try String(contentsOfFile: ranks, encoding: .utf8) == "old ranks\n")
        #expect(try folder.names() == ["queries.csv", "ranks.csv"])
    }

    @Test func theRanksFileIsCheckedWithoutFoundationsWording() throws {
        let folder = try Folder()
        #expect(
            try message { try TextFile.checkWritable(folder.path, role: "--ranks") }
                == "--ranks \(folder.path) is a folder; give the path of a file")
        #expect(
            try message { try TextFile.checkWritable("\(folder.path)/none/ranks.csv", role: "--ranks") }
                == "--ranks \(folder.path)/none/ranks.csv cannot be written: "
                + "its folder \(folder.path)/none does not exist")
        let file = try folder.file("file", "")
        #expect(
            try message { try TextFile.checkWritable("\(file)/ranks.csv", role: "--ranks") }
                == "--ranks \(file)/ranks.csv cannot be written: \(file) is not a folder")
        try TextFile.checkWritable("\(folder.path)/new.csv", role: "--ranks")
        #expect(try folder.names() == ["file"])

        // Through the command, before anything is built.
        let queries = try folder.file("queries.csv", Self.queries)
        #expect(
            try message { _ = try eval([queries, "--model", "\(folder.path)/m.imgrec", "--ranks", folder.path]) }
                == "--ranks \(folder.path) is a folder; give the path of a file")
    }

    #if os(Linux)
        @Test func linuxSpecialFilesGetPlainReasons() throws {
            #expect(
                try message { try TextFile.checkWritable("/proc/x.csv", role: "--ranks") }
                    == "--ranks /proc/x.csv cannot be written: its folder /proc takes no new files "
                    + "(No such file or directory)")
            // A full device passes the check and fails on the write.
            try TextFile.checkWritable("/dev/full", role: "--ranks")
            #expect(
                try message { try TextFile.replace("/dev/full", with: "query\n", role: "--ranks") }
                    == "--ranks /dev/full cannot be written: no space left on the device")
        }
    #endif

    @Test func theRanksFileMayNotBeAnInput() throws {
        let folder = try Folder()
        let queries = try folder.file("queries.csv", Self.queries)
        let captions = try folder.file("captions.csv", Self.captions)
        let model = "\(folder.path)/eval.imgrec"
        let run = { (ranks: String) in
            try self.eval([
                queries, "--model", model, "--build-from", captions, "--methods", "tfidf",
                "--model-dir", "\(folder.path)/no-models", "--ranks", ranks,
            ])
        }
        #expect(try message { _ = try run(queries) }.contains("is the query file"))
        #expect(try message { _ = try run(captions) }.contains("is --build-from"))
        #expect(try message { _ = try run(model) }.contains("is --model"), "the model does not exist yet")
        #expect(try message { _ = try run("\(folder.path)/./queries.csv") }.contains("is the query file"))
        #expect(try String(contentsOfFile: queries, encoding: .utf8) == Self.queries)
        #expect(try folder.names() == ["captions.csv", "queries.csv"], "nothing built or written")
    }

    @Test func aByteOrderMarkIsNoPartOfTheHeader() throws {
        let folder = try Folder()
        let queries = try folder.file("queries.csv", "\u{FEFF}" + Self.queries)
        let captions = try folder.file("captions.csv", "\u{FEFF}" + Self.captions)
        let status = try eval([
            queries, "--model", "\(folder.path)/eval.imgrec", "--build-from", captions, "--methods", "tfidf",
            "--model-dir", "\(folder.path)/no-models",
        ])
        #expect(status == 0)
    }

    @Test func aCheckedRanksFileKeepsItsContent() throws {
        let folder = try Folder()
        let ranks = try folder.file("ranks.csv", "old ranks\n")
        try TextFile.checkWritable(ranks, role: "--ranks")
        #expect(try String(contentsOfFile: ranks, encoding: .utf8) == "old ranks\n")
        #expect(try folder.names() == ["ranks.csv"])
    }

    @Test func aLinkedRanksFileIsReplacedThroughTheLink() throws {
        let folder = try Folder()
        let real = try folder.file("real.csv", "old\n")
        try FileManager.default.createSymbolicLink(atPath: "\(folder.path)/link.csv", withDestinationPath: real)
        try TextFile.replace("\(folder.path)/link.csv", with: "new\n", role: "--ranks")
        #expect(try String(contentsOfFile: real, encoding: .utf8) == "new\n")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "\(folder.path)/link.csv") == real)
    }

    @Test func inputFilesSayWhatIsWrong() throws {
        let folder = try Folder()
        #expect(
            try message { _ = try TextFile.read("\(folder.path)/none.csv", role: "the query file") }
                == "the query file \(folder.path)/none.csv does not exist")
        #expect(
            try message { _ = try TextFile.read(folder.path, role: "the query file") }
                == "the query file \(folder.path) is a folder, not a file")
        let latin1 = "\(folder.path)/latin1.csv"
        try Data("query,relevant\ncaf\u{E9},a.jpg\n".data(using: .isoLatin1)!).write(to: URL(fileURLWithPath: latin1))
        #expect(
            try message { _ = try TextFile.read(latin1, role: "the query file") }
                == "the query file \(latin1) is not UTF-8 text (line 2 holds a byte that is not UTF-8); "
                + "save it as UTF-8")
        let file = try folder.file("file", "")
        #expect(
            try message { _ = try TextFile.read("\(file)/x.csv", role: "the query file") }
                == "the query file \(file)/x.csv does not exist (part of its path is not a folder)")
        #expect(try TextFile.read(file, role: "the query file") == "")

        // Through the command: the query file and --build-from.
        let queries = try folder.file("queries.csv", Self.queries)
        let model = "\(folder.path)/m.imgrec"
        #expect(
            try message { _ = try eval([latin1, "--model", model]) }.hasPrefix("the query file \(latin1) is not UTF-8"))
        #expect(
            try message { _ = try eval([queries, "--model", model, "--build-from", folder.path]) }
                == "--build-from \(folder.path) is a folder, not a file")
    }

    @Test func queryFileFaultsNameTheFileAndLine() throws {
        let folder = try Folder()
        let model = "\(folder.path)/m.imgrec"
        let unclosed = try folder.file("unclosed.csv", "query,relevant\n\"red car,b.jpg\n")
        #expect(
            try message { _ = try eval([unclosed, "--model", model]) }
                == "\(unclosed): line 2: a quote is not closed (a field that holds a quote must be quoted, "
                + "with the quote doubled)")
        let long = String(repeating: "x", count: 10_000_000)
        let tooLong = try folder.file("long.csv", "query,relevant\nred car,b.jpg\n\(long),a.jpg\n")
        #expect(
            try message { _ = try eval([tooLong, "--model", model]) }
                == "\(tooLong): line 3: the query has 10000000 characters, more than the limit of 10000")
    }

    @Test func buildFlagsNeedBuildFrom() throws {
        let folder = try Folder()
        let queries = try folder.file("queries.csv", Self.queries)
        let model = "\(folder.path)/m.imgrec"
        #expect(
            try message { _ = try eval([queries, "--model", model, "--translations", "off"]) }
                == "--translations changes how a model is built; it needs --build-from (an existing model is "
                + "evaluated as it was built)")
        #expect(
            try message { _ = try eval([queries, "--model", model, "--hybrid-weight", "0.2"]) }
                .hasPrefix("--hybrid-weight changes how a model is built"))
        #expect(
            try message { _ = try eval([queries, "--model", model, "--build-from", model, "--translations", "no"]) }
                == "--translations must be on or off")
    }

    @Test func searchHitsWithoutAnImageURLDecode() throws {
        // A model built by `imgrec eval` has no image base URL, so its results carry no image_url.
        let json = #"{"id": "0", "file": "a.jpg", "caption": "dry beach grass", "score": 0.5}"#
        let hit = try JSONDecoder().decode(SearchClient.Hit.self, from: Data(json.utf8))
        #expect(hit.file == "a.jpg" && hit.imageURL == nil)
    }
}
