import { version, productName } from '../../package.json';

export const APP_VERSION: string = version;
export const APP_NAME: string = productName;
