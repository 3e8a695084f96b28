export { main } from './cli';
export { reportCommand } from './commands/report';
export { scaffoldPlugin } from './plugins/scaffold';
export { forecastSource, forecastTestSource } from './plugins/template-forecast';
export { ruleSource, ruleTestSource } from './plugins/template-rule';
