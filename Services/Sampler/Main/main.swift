import Foundation
import SamplerService
import Shared

let logger = Logger(label: "sampler")
let configuration: SamplerConfiguration
let service: SamplerService
do {
    configuration = try SamplerConfiguration.parse(CommandLineOptions())
    service = try SamplerService(configuration: configuration, logger: logger)
} catch let error as ConfigurationError {
    FileHandle.standardError.write(Data("sampler: \(error.message)\n".utf8))
    exit(2)
} catch {
    FileHandle.standardError.write(Data("sampler: cannot start: \(error)\n".utf8))
    exit(1)
}

let server = HTTPServer(
    configuration: .init(service: "sampler", host: configuration.host, port: configuration.port),
    router: service.makeRouter(), logger: logger, health: { service.health() })
do {
    try server.start()
} catch {
    FileHandle.standardError.write(Data("sampler: cannot start: \(error)\n".utf8))
    exit(1)
}
var listening = configuration.summary
listening["address"] = "\(configuration.host):\(server.port)"
logger.info("listening", listening)
server.runUntilSignalled()
