export { reportCommand } from './commands/report';
export { scaffoldPlugin } from './plugins/scaffold';
export { forecastSource, forecastTestSource } from './plugins/template-forecast';
export { modelSource, modelTestSource } from './plugins/template-model';
export { ruleSource, ruleTestSource } from './plugins/template-rule';
