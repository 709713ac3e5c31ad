import CaptionerService
import Foundation
import Shared

let logger = Logger(label: "captioner")
let configuration: CaptionerConfiguration
let service: CaptionerService
do {
    configuration = try CaptionerConfiguration.parse(CommandLineOptions())
    service = try CaptionerService(configuration: configuration, logger: logger)
} catch let error as ConfigurationError {
    FileHandle.standardError.write(Data("captioner: \(error.message)\n".utf8))
    exit(2)
} catch {
    FileHandle.standardError.write(Data("captioner: cannot start: \(error)\n".utf8))
    exit(1)
}

let server = HTTPServer(
    configuration: .init(service: "captioner", host: configuration.host, port: configuration.port),
    router: service.makeRouter(), logger: logger, health: { service.health() })
do {
    try server.start()
    try service.start(metrics: server.metrics)
} catch {
    FileHandle.standardError.write(Data("captioner: cannot start: \(error)\n".utf8))
    exit(1)
}
var listening = configuration.summary
listening["address"] = "\(configuration.host):\(server.port)"
listening["model"] = service.captioner.engine.modelDescription
logger.info("listening", listening)
server.runUntilSignalled()
service.stop()
